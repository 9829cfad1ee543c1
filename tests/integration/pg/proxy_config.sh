# write_pg_proxy_config FILE PORT [EXTRA_YAML [CLUSTER_YAML]]: a proxy config for the
# test servers. CLUSTER_YAML holds extra keys of the cluster (4-space indent).
# Users: app (SCRAM), app_md5 (md5 to clients and to the server), sess (session
# pooling, logs in to the servers as app). EXTRA_YAML is appended at the top level
# (pool settings, limits, timeouts).
write_pg_proxy_config() {
  local file=$1 port=$2 extra=${3:-} cluster_extra=${4:-}
  cat >"$file" <<YAML
workers: 2
log_level: debug
listeners:
  - name: pg
    protocol: postgres
    address: 127.0.0.1
    port: $port
    cluster: pg
clusters:
  - name: pg
    protocol: postgres
$cluster_extra
    primary: {host: 127.0.0.1, port: $SY_PG_PRIMARY_PORT}
    replicas:
      - {host: 127.0.0.1, port: $SY_PG_REPLICA_PORT}
users:
  - name: app
    password: app
    auth: scram-sha-256
  - name: app_md5
    password: app
    auth: md5
  - name: app_clear
    password: app
    auth: scram-sha-256
  - name: app_trust
    password: app
    auth: scram-sha-256
  - name: sess
    password: app
    auth: scram-sha-256
    pool_mode: session
    backend_user: app
$extra
YAML
}
