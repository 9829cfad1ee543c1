#!/usr/bin/env bash
# Bad input and faults through the proxy's MySQL listener: every case gets an
# ERR packet with a real MySQL error code and a message a person can act on,
# and one bad connection never hurts another.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
port=$(proxy_port 32)
faults=(python3 "$(dirname "$0")/faults.py")
write_my_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 2}
limits: {max_message_size: 65536}
timeouts: {queue: 1s}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"
my_primary -e "DROP TABLE IF EXISTS items; CREATE TABLE items(id int PRIMARY KEY, name text);
  INSERT INTO items VALUES (1, 'one')"

info "malformed handshake response: 1043"
assert_contains "$("${faults[@]}" "$port" bad_handshake)" "1043 Bad handshake" "garbage handshake"
assert_contains "$("${faults[@]}" "$port" http_garbage)" "1043" "HTTP request instead of a handshake"

info "unknown command and oversized packet"
assert_contains "$("${faults[@]}" "$port" unknown_command)" "1047 Unknown command" "unknown command byte"
assert_contains "$("${faults[@]}" "$port" oversized)" "1153" "packet over max_message_size"
assert_eq 1 "$(my_proxy "$port" -e "SELECT 1")" "a bystander still works"

info "wrong password: 1045"
out=$(SY_PROXY_MY_PASSWORD=nope my_proxy "$port" -e "SELECT 1" 2>&1 || true)
assert_contains "$out" "ERROR 1045 (28000): Access denied for user 'app'" "wrong password"

info "a client that drops mid-transaction: its backend is rolled back, never returned dirty"
"${faults[@]}" "$port" drop_in_transaction >/dev/null
sleep 0.5
out=$(my_proxy "$port" -e "SET innodb_lock_wait_timeout = 3; UPDATE items SET name = 'next' WHERE id = 1; SELECT name FROM items WHERE id = 1 FOR UPDATE" 2>&1)
assert_eq "next" "$out" "row lock released and the update rolled back"
grep -q "reset (1 commands) and returned\|closing backend" "$SY_PROXY_LOG" || fail "no rollback logged"

info "a backend killed mid-session: 1158 naming the server, the next statement works"
out=$(my_proxy "$port" -e "SELECT 1" 2>&1)
(
  sleep 0.3
  my_primary -e "SELECT GROUP_CONCAT(CONCAT('KILL ', id) SEPARATOR ';') FROM information_schema.processlist
                 WHERE info LIKE '%DO SLEEP(5)%' AND info NOT LIKE '%processlist%'" | tr ';' '\n' | while read -r k; do
    [[ -n $k && $k != NULL ]] && my_primary -e "$k" || true
  done
) &
killer=$!
out=$(my_proxy "$port" --force -e "DO SLEEP(5); SELECT 'after'" --comments 2>&1 || true)
wait "$killer"
assert_contains "$out" "Lost connection to server primary (127.0.0.1:$SY_MY_PRIMARY_PORT)" "lost backend named"
assert_eq after "$(my_proxy "$port" -e "SELECT 'after'")" "the proxy serves the next statement"

info "unreachable servers: a clear error naming the server"
dead=$(proxy_port 49)
write_my_proxy_config "$dir/dead.yaml" "$(proxy_port 33)" "timeouts: {connect: 1s}"
sed -i "s/port: $SY_MY_PRIMARY_PORT}/port: $dead}/" "$dir/dead.yaml"
stop_proxy
start_proxy "$dir/dead.yaml" "$dir/dead.log" "$(proxy_port 33)"
out=$(my_proxy "$(proxy_port 33)" -e "SELECT 1" 2>&1 || true)
assert_contains "$out" "1105" "unreachable primary"
assert_contains "$out" "primary (127.0.0.1:$dead)" "the server is named"
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
