#!/usr/bin/env bash
# A psql session through the proxy: routing (reads on the replica, writes and
# transactions on the primary), the protocol features psql exercises (multi-
# statement strings, errors inside transactions, COPY both ways, notices), and
# session state under transaction pooling (tracked SET, pinning).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
port=$(proxy_port 1)
write_pg_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 4}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"

psql_primary -c "DROP TABLE IF EXISTS items; DROP SEQUENCE IF EXISTS item_ids;
                 CREATE TABLE items(id int PRIMARY KEY, name text);
                 GRANT ALL ON items TO app; CREATE SEQUENCE item_ids;
                 GRANT ALL ON SEQUENCE item_ids TO app"
pg_wait_replica_caught_up

info "reads go to the replica, writes and transactions to the primary"
assert_eq t "$(psql_proxy "$port" -c "SELECT pg_is_in_recovery()")" "plain SELECT"
assert_eq f "$(psql_proxy "$port" -c "/* switchyard: primary */ SELECT pg_is_in_recovery()")" \
  "SELECT with primary hint"
out=$(psql_proxy "$port" -c "BEGIN" -c "SELECT pg_is_in_recovery()" -c "COMMIT")
assert_eq f "$out" "SELECT inside BEGIN ... COMMIT"
out=$(psql_proxy "$port" -c "BEGIN READ ONLY" -c "SELECT pg_is_in_recovery()" -c "COMMIT")
assert_eq t "$out" "SELECT inside BEGIN READ ONLY"
assert_eq "f|1" "$(psql_proxy "$port" -c "SELECT pg_is_in_recovery(), nextval('item_ids')")" \
  "nextval() forces the primary"

info "writes land on the primary and replicate"
psql_proxy "$port" -c "INSERT INTO items VALUES (1, 'one'), (2, 'two')"
assert_eq 2 "$(psql_primary -c "SELECT count(*) FROM items")" "rows on the primary"
pg_wait_replica_caught_up
assert_eq 2 "$(psql_proxy "$port" -c "SELECT count(*) FROM items")" "rows read through the proxy"
assert_eq f "$(psql_proxy "$port" -c "SELECT pg_is_in_recovery() FROM items WHERE id = 1 FOR UPDATE")" \
  "SELECT ... FOR UPDATE goes to the primary"

info "multi-statement strings and errors inside a transaction"
out=$(psql_proxy "$port" -c "SELECT 1; SELECT 2" 2>&1)
assert_eq $'1\n2' "$out" "multi-statement query"
out=$(psql_proxy "$port" -v ON_ERROR_STOP=0 2>&1 <<'SQL'
BEGIN;
INSERT INTO items VALUES (3, 'three');
SELECT 1/0;
SELECT 'after error';
ROLLBACK;
SELECT count(*) FROM items WHERE id = 3;
SQL
)
assert_contains "$out" "division by zero" "error inside the transaction"
assert_contains "$out" "current transaction is aborted" "statement after the error (status E)"
[[ $(psql_primary -c "SELECT count(*) FROM items WHERE id = 3") == 0 ]] || fail "rolled back row exists"

info "COPY FROM STDIN and TO STDOUT"
printf '10\tten\n11\televen\n' | psql_proxy "$port" -c "COPY items FROM STDIN"
assert_eq 2 "$(psql_primary -c "SELECT count(*) FROM items WHERE id >= 10")" "rows copied in"
pg_wait_replica_caught_up  # COPY (SELECT ...) TO STDOUT is a read: the replica serves it
out=$(psql_proxy "$port" -c "COPY (SELECT id, name FROM items WHERE id >= 10 ORDER BY id) TO STDOUT")
assert_eq $'10\tten\n11\televen' "$out" "COPY TO STDOUT"

info "notices are relayed"
out=$(psql_proxy "$port" -c "DO \$\$BEGIN RAISE NOTICE 'hello from the server'; END\$\$" 2>&1)
assert_contains "$out" "hello from the server" "RAISE NOTICE"

info "startup parameters and tracked SETs hold on every backend"
for i in 1 2 3 4 5 6; do
  out=$(PGAPPNAME=myapp psql_proxy "$port" -c "SET search_path TO app_schema, public" \
    -c "SELECT current_setting('application_name'), current_setting('search_path')" \
    -c "SELECT 1 FROM items LIMIT 1" -c "SHOW search_path")
  assert_eq $'myapp|app_schema, public\n1\napp_schema, public' "$out" "parameters, run $i"
done
# A fresh client on the same pooled backends must not inherit them.
assert_eq "\"\$user\", public" "$(psql_proxy "$port" -c "/* switchyard: primary */ SHOW search_path")" \
  "search_path of a new client"

info "state that cannot move pins the client to its backend"
out=$(psql_proxy "$port" -c "CREATE TEMP TABLE scratch(x int)" -c "INSERT INTO scratch VALUES (1)" \
  -c "SELECT count(*) FROM scratch" -c "SELECT count(*) FROM scratch")
assert_eq $'1\n1' "$out" "temporary table across statements"
grep -q "pinned to backend .*: temporary table" "$SY_PROXY_LOG" || fail "pin reason not logged"

info "notifications reach a listening client (LISTEN pins it)"
( echo "LISTEN jobs;"; sleep 1.5; echo "SELECT 'after';" ) |
  psql_proxy "$port" >"$dir/listen.out" 2>&1 &
listener=$!
sleep 0.7
psql_proxy "$port" -c "NOTIFY jobs, 'hello'"
wait "$listener" || fail "listening psql failed: $(cat "$dir/listen.out")"
assert_contains "$(cat "$dir/listen.out")" 'notification "jobs" with payload "hello"' "NOTIFY relayed"

info "session pooling: the client sees its backend's real process id"
pid=$(PGPASSWORD=app sy_psql "$port" sess app -c "SELECT pg_backend_pid()" -c "SELECT pg_backend_pid()")
[[ $(echo "$pid" | sort -u | wc -l) == 1 ]] || fail "session mode changed backend: $pid"

grep -q "lost connection\|unexpected message" "$SY_PROXY_LOG" && fail "proxy log shows a protocol fault"
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
