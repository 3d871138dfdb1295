#!/bin/sh
# Entrypoint of pgbouncer-rw / pgbouncer-ro: writes pgbouncer.ini and userlist.txt from the
# environment, then runs PgBouncer in the foreground.
#
# Pool settings come from environment variables in docker-compose.yml on purpose: the seed runbook
# "PgBouncer Pool Exhaustion" raises DEFAULT_POOL_SIZE there and runs `docker-compose up -d pgbouncer-rw`.
#
#   DB_HOST, DB_PORT            the PostgreSQL server behind this pool
#   DB_USER, DB_PASSWORD        login (also the admin-console user for SHOW POOLS / SHOW STATS)
#   LISTEN_PORT                 port inside the compose network (6432 rw, 6433 ro, as in the seed)
#   POOL_MODE, MAX_CLIENT_CONN, DEFAULT_POOL_SIZE, MIN_POOL_SIZE, RESERVE_POOL_SIZE, SERVER_LIFETIME
#   MAX_PREPARED_STATEMENTS     protocol-level prepared statements in transaction mode (PgBouncer >= 1.21);
#                               set it empty to leave the setting out for an older PgBouncer
set -eu

: "${DB_HOST:?DB_HOST must be set}"
: "${DB_USER:?DB_USER must be set}"
: "${DB_PASSWORD:?DB_PASSWORD must be set}"

conf_dir="${PGBOUNCER_CONF_DIR:-/tmp/pgbouncer}"
mkdir -p "$conf_dir"
umask 077

prepared=""
if [ -n "${MAX_PREPARED_STATEMENTS-200}" ]; then
  prepared="max_prepared_statements = ${MAX_PREPARED_STATEMENTS-200}"
fi

# Plain password: lets PgBouncer answer SCRAM from clients and log in to PostgreSQL with SCRAM.
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$conf_dir/userlist.txt"

cat > "$conf_dir/pgbouncer.ini" <<INI
[databases]
; every database name (sagaz, postgres, ...) goes to the same server
* = host=${DB_HOST} port=${DB_PORT:-5432}

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = ${LISTEN_PORT:-5432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${conf_dir}/userlist.txt
admin_users = ${DB_USER}
stats_users = ${DB_USER}

pool_mode = ${POOL_MODE:-transaction}
max_client_conn = ${MAX_CLIENT_CONN:-200}
default_pool_size = ${DEFAULT_POOL_SIZE:-25}
min_pool_size = ${MIN_POOL_SIZE:-5}
reserve_pool_size = ${RESERVE_POOL_SIZE:-5}
reserve_pool_timeout = 3
server_lifetime = ${SERVER_LIFETIME:-3600}
server_idle_timeout = 600
${prepared}
ignore_startup_parameters = extra_float_digits

log_connections = 0
log_disconnections = 0
log_pooler_errors = 1
INI

echo "pgbouncer: ${POOL_MODE:-transaction} pool on :${LISTEN_PORT:-5432} -> ${DB_HOST}:${DB_PORT:-5432}" \
  "(max_client_conn=${MAX_CLIENT_CONN:-200} default_pool_size=${DEFAULT_POOL_SIZE:-25})"
exec pgbouncer "$conf_dir/pgbouncer.ini"
