#!/usr/bin/env bash
# sysbench oltp_read_write and oltp_point_select through the proxy for a few seconds,
# with server-side prepared statements (--db-ps-mode=auto) and without (disable).
# sysbench must finish without a fatal error; deadlocks (1213), which sysbench
# ignores and retries, happen directly on the server too and are only reported.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
port=$(proxy_port 31)
write_my_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 4}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"

sb() {
  sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=app \
    --mysql-password=app --mysql-db=app --tables=2 --table-size=2000 "$@"
}

sb oltp_read_write cleanup >/dev/null 2>&1 || true
sb oltp_read_write prepare >"$dir/prepare.out" 2>&1 || fail "sysbench prepare: $(tail -5 "$dir/prepare.out")"
my_wait_replica_caught_up 30

for mode in auto disable; do
  for test in oltp_read_write oltp_point_select; do
    out="$dir/$test-$mode.out"
    sb --threads=4 --time=4 --db-ps-mode="$mode" "$test" run >"$out" 2>&1 ||
      fail "sysbench $test --db-ps-mode=$mode failed: $(grep -i -m3 'fatal\|error' "$out")"
    ! grep -qi "fatal" "$out" || fail "sysbench $test ($mode): $(grep -i -m3 fatal "$out")"
    info "$test --db-ps-mode=$mode: $(grep -E 'queries:' "$out" | tr -s ' ') $(grep -E 'ignored errors' "$out" | tr -s ' ')"
  done
done

# Reads went to the replica, writes to the primary.
sb oltp_read_write cleanup >/dev/null 2>&1 || true
grep -q "opened backend .* to replica1" "$SY_PROXY_LOG" || fail "no read reached the replica"
# (Sessions' lines only: the monitor may call a server briefly unreachable under load.)
grep -v "monitor:" "$SY_PROXY_LOG" | grep -q "protocol violation\|Lost connection" &&
  fail "proxy log shows a protocol fault"
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
