#!/usr/bin/env bash
# pgbench through the proxy: initialisation (writes, COPY, DDL, VACUUM), then
# TPC-B-like and select-only runs with the simple, extended and prepared
# protocols. Every run must finish with zero failed transactions; the
# select-only runs must be served by the replica.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
port=$(proxy_port 2)
write_pg_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 10}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"
export PGPASSWORD=app

pgbench_proxy() {
  /usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p "$port" -U app "$@" app
}

info "pgbench -i through the proxy"
pgbench_proxy -i -s 2 -q >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; fail "pgbench -i failed"; }
assert_eq 200000 "$(psql_primary -c "SELECT count(*) FROM pgbench_accounts")" "accounts loaded"
pg_wait_replica_caught_up 30

replica_reads() {
  psql_replica -c "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes
                   WHERE relname = 'pgbench_accounts'"
}

for mode in simple extended prepared; do
  for script in tpcb select; do
    args=(-M "$mode" -c 8 -j 2 -T 3)
    [[ $script == select ]] && args+=(-S)
    before=$(replica_reads)
    out=$(pgbench_proxy "${args[@]}" 2>&1) || { echo "$out"; fail "pgbench $mode $script exited non-zero"; }
    failed=$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" || echo missing)
    processed=$(grep -oP 'number of transactions actually processed: \K[0-9]+' <<<"$out" || echo 0)
    tps=$(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1)
    info "pgbench -M $mode $script: $processed transactions, $tps tps, $failed failed"
    [[ $failed == 0 ]] || { echo "$out"; fail "pgbench -M $mode $script: failed transactions: $failed"; }
    [[ $processed -gt 0 ]] || { echo "$out"; fail "pgbench -M $mode $script processed nothing"; }
    if [[ $script == select ]]; then
      after=$(replica_reads)
      [[ $after -gt $before ]] || fail "select-only run did not read on the replica ($before → $after)"
    fi
  done
done
info "more clients than pool connections, prepared: pgbench prepares synchronously"
# (a PQprepare waiting for a pooled connection would stall its pgbench thread and the
# open transactions of its other clients; the proxy answers prepare-only batches itself)
out=$(pgbench_proxy -M prepared -c 24 -j 2 -T 3 2>&1) || { echo "$out"; fail "pgbench -M prepared -c 24 exited non-zero"; }
failed=$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" || echo missing)
[[ $failed == 0 ]] || { echo "$out"; fail "pgbench -M prepared -c 24 (pool 10): failed $failed"; }
info "pgbench -M prepared tpcb, 24 clients on pool_size 10: $(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1) tps, 0 failed"
info "pipelined extended protocol (pgbench \\startpipeline)"
cat >"$dir/pipeline.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\startpipeline
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
SELECT :aid::int + 1;
SELECT count(*) FROM pgbench_branches;
\endpipeline
SQL
for mode in extended prepared; do
  out=$(pgbench_proxy -M "$mode" -f "$dir/pipeline.sql" -c 4 -j 2 -T 2 2>&1) ||
    { echo "$out"; fail "pipelined pgbench -M $mode exited non-zero"; }
  failed=$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" || echo missing)
  [[ $failed == 0 ]] || { echo "$out"; fail "pipelined pgbench -M $mode: failed $failed"; }
  info "pipelined -M $mode: $(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1) tps, 0 failed"
done
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
