#!/bin/bash
# Entrypoint of postgres-replica: a hot standby streaming from postgres-primary.
#
# First start (empty volume): clone the primary with pg_basebackup. `-R` writes standby.signal and
# primary_conninfo, so every later start simply resumes streaming. To re-clone (seed runbook "Replica
# Not Syncing"), remove the volume local-postgres_postgres_replica_data and start the service again.
# Then hands over to the image's own entrypoint with the same server settings as the primary (a hot
# standby refuses to start with max_connections etc. lower than its primary's).
#
# Shared with Kubernetes (k8s/postgresql-ha.yaml embeds this file; k8s/tools/sync-configmaps.py keeps
# the copy in step). There the container already runs as the postgres user, so nothing is chowned.
set -euo pipefail

: "${PRIMARY_HOST:=postgres-primary}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
    echo "replica: waiting for ${PRIMARY_HOST}:${PRIMARY_PORT}"
    sleep 2
  done
  echo "replica: cloning ${PRIMARY_HOST} into ${PGDATA}"
  mkdir -p "$PGDATA"
  as_postgres=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PGDATA"
    as_postgres=(gosu postgres)
  fi
  chmod 0700 "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" ${as_postgres[@]+"${as_postgres[@]}"} pg_basebackup \
    --host="$PRIMARY_HOST" --port="$PRIMARY_PORT" --username="$REPLICATION_USER" \
    --pgdata="$PGDATA" --wal-method=stream --write-recovery-conf --checkpoint=fast --progress
fi

# The walreceiver names itself by cluster_name (primary_conninfo from -R has no application_name): the
# primary's pg_stat_replication, and so sagaz_postgres_replication_lag_seconds{replica=...}, shows this
# name (replica-1 in compose, as the seed's queries; the pod name in Kubernetes) instead of "walreceiver".
exec docker-entrypoint.sh "$@" -c cluster_name="${REPLICA_NAME:-${HOSTNAME:-replica}}"
