#!/usr/bin/env bash
# The MariaDB pair the harness starts is what the proxy tests assume: a writable primary
# (server_id 1) and a read-only GTID replica (server_id 2) that follows it within seconds,
# with the app account on both and last_gtid session tracking on.
source "$(dirname "$0")/lib.sh"

info "primary 127.0.0.1:$SY_MY_PRIMARY_PORT, replica 127.0.0.1:$SY_MY_REPLICA_PORT"
assert_eq "1	0" "$(my_app_primary -e 'SELECT @@server_id, @@read_only')" "primary @@server_id, @@read_only"
assert_eq "2	1" "$(my_app_replica -e 'SELECT @@server_id, @@read_only')" "replica @@server_id, @@read_only"
status=$(my_replica --column-names -e 'SHOW SLAVE STATUS\G')
assert_contains "$status" "Slave_IO_Running: Yes" "replica IO thread"
assert_contains "$status" "Slave_SQL_Running: Yes" "replica SQL thread"
assert_contains "$status" "Using_Gtid: Slave_Pos" "replica GTID mode"
assert_contains "$(my_app_primary -e 'SELECT @@session_track_system_variables')" last_gtid \
  "primary session_track_system_variables"
assert_contains "$(my_app_replica -e 'SELECT @@session_track_system_variables')" last_gtid \
  "replica session_track_system_variables"

# A row written on the primary (as app) shows up on the replica.
marker="row-$$-$RANDOM"
my_app_primary -e "CREATE TABLE IF NOT EXISTS sy_replication_check (id INT AUTO_INCREMENT PRIMARY KEY, marker VARCHAR(64) NOT NULL)"
my_app_primary -e "INSERT INTO sy_replication_check (marker) VALUES ('$marker')"
seen() { [[ $(my_app_replica -e "SELECT COUNT(*) FROM sy_replication_check WHERE marker = '$marker'") == 1 ]]; }
wait_until 10 seen || fail "row '$marker' inserted on the primary did not reach the replica within 10s"
info "row reached the replica"

# The replica refuses writes from app (read_only, app has no SUPER).
if out=$(my_app_replica -e "INSERT INTO sy_replication_check (marker) VALUES ('x')" 2>&1); then
  fail "the replica accepted a write from app"
fi
assert_contains "$out" "read-only" "error of a write on the replica"

# app authenticates with mysql_native_password; a wrong password is refused.
assert_eq mysql_native_password \
  "$(my_primary -e "SELECT plugin FROM mysql.user WHERE user = 'app' AND host = '%'")" "app's auth plugin"
if sy_mariadb "$SY_MY_PRIMARY_PORT" app wrong app -e "SELECT 1" >/dev/null 2>&1; then
  fail "app logged in with a wrong password"
fi

my_app_primary -e "DELETE FROM sy_replication_check WHERE marker = '$marker'"
my_wait_replica_caught_up 10
info "ok"
