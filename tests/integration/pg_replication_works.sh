#!/usr/bin/env bash
# The PostgreSQL pair the harness starts is what the proxy tests assume: a writable
# primary, a hot-standby replica that follows it within seconds, and the four backend
# authentication flavours (scram-sha-256, md5, cleartext password, trust) for role app*.
source "$(dirname "$0")/lib.sh"

info "primary 127.0.0.1:$SY_PG_PRIMARY_PORT, replica 127.0.0.1:$SY_PG_REPLICA_PORT"
assert_eq f "$(psql_primary -c 'SELECT pg_is_in_recovery()')" "pg_is_in_recovery() on the primary"
assert_eq t "$(psql_replica -c 'SELECT pg_is_in_recovery()')" "pg_is_in_recovery() on the replica"
assert_eq 1 "$(psql_primary -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" \
  "streaming replicas in pg_stat_replication"

# A row written on the primary (as app) shows up on the replica.
marker="row-$$-$RANDOM"
psql_app_primary -c "SET client_min_messages = warning" -c "CREATE TABLE IF NOT EXISTS sy_replication_check (id serial PRIMARY KEY, marker text NOT NULL)"
psql_app_primary -c "INSERT INTO sy_replication_check (marker) VALUES ('$marker')"
seen() { [[ $(psql_app_replica -c "SELECT count(*) FROM sy_replication_check WHERE marker = '$marker'") == 1 ]]; }
wait_until 10 seen || fail "row '$marker' inserted on the primary did not reach the replica within 10s"
info "row reached the replica"

# The replica refuses writes.
if out=$(psql_app_replica -c "INSERT INTO sy_replication_check (marker) VALUES ('x')" 2>&1); then
  fail "the replica accepted a write"
fi
assert_contains "$out" "read-only transaction" "error of a write on the replica"

# Backend authentication flavours, on both servers, with the right password...
for role in app app_md5 app_clear app_trust; do
  for port in "$SY_PG_PRIMARY_PORT" "$SY_PG_REPLICA_PORT"; do
    got=$(PGPASSWORD=app sy_psql "$port" "$role" app -c "SELECT current_user" 2>&1) ||
      fail "role $role could not log in on port $port: $got"
    assert_eq "$role" "$got" "current_user for $role on port $port"
  done
done
# ...the methods pg_hba chose are the ones meant (a wrong password fails except for trust)...
for role in app app_md5 app_clear; do
  if PGPASSWORD=wrong sy_psql "$SY_PG_PRIMARY_PORT" "$role" app -c "SELECT 1" >/dev/null 2>&1; then
    fail "role $role logged in with a wrong password"
  fi
done
PGPASSWORD=wrong sy_psql "$SY_PG_PRIMARY_PORT" app_trust app -c "SELECT 1" >/dev/null ||
  fail "role app_trust (trust) was refused"
# ...and the stored verifiers are what the proxy's auth tests expect.
assert_eq md5 "$(psql_primary -c "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'app_md5'")" \
  "app_md5 password storage"
assert_eq SCRAM-SHA-256 "$(psql_primary -c "SELECT split_part(rolpassword, '\$', 1) FROM pg_authid WHERE rolname = 'app'")" \
  "app password storage"

psql_app_primary -c "DELETE FROM sy_replication_check WHERE marker = '$marker'"
info "ok"
