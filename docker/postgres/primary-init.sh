#!/bin/bash
# Runs once, when postgres-primary initialises an empty data volume (/docker-entrypoint-initdb.d).
# Creates the role postgres-replica streams with and lets it connect for replication from the compose
# network (Kubernetes: k8s/postgresql-ha.yaml embeds this same file). The schema itself is not created here: `sagaz migrate` (service postgres-init) owns it.
set -euo pipefail

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=repl_user="$REPLICATION_USER" --set=repl_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SQL

# "all" in pg_hba.conf does not match replication connections: they need their own line.
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
