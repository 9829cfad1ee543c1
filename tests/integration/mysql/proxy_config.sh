# write_my_proxy_config FILE PORT [EXTRA_YAML [CLUSTER_YAML]]: a proxy config with a MySQL listener on
# PORT for the MariaDB test pair. Users: app (mysql_native_password to clients, app/app to
# the servers), sess (session pooling, logs in to the servers as app), sha2
# (caching_sha2_password to clients, password sha2pw, app/app to the servers). EXTRA_YAML is
# appended at the top level (pool settings, limits, timeouts); CLUSTER_YAML holds extra keys
# of the cluster (4-space indent: freshness, monitor).
# Set SY_MY_PRIMARY_PORT / SY_MY_REPLICA_PORT to point it at another pair.
write_my_proxy_config() {
  local file=$1 port=$2 extra=${3:-} cluster_extra=${4:-}
  cat >"$file" <<YAML
workers: 2
log_level: debug
listeners:
  - name: mysql
    protocol: mysql
    address: 127.0.0.1
    port: $port
    cluster: mysql
clusters:
  - name: mysql
    protocol: mysql
    primary: {name: primary, host: 127.0.0.1, port: $SY_MY_PRIMARY_PORT}
    replicas:
      - {name: replica1, host: 127.0.0.1, port: $SY_MY_REPLICA_PORT}
$cluster_extra
users:
  - name: app
    password: app
    auth: mysql_native_password
  - name: sess
    password: app
    auth: mysql_native_password
    pool_mode: session
    backend_user: app
  - name: sha2
    password: sha2pw
    auth: caching_sha2_password
    backend_user: app
    backend_password: app
$extra
YAML
}
