#!/bin/sh
# Every offline check of the deployment files (docker/, k8s/, conf/cluster-*.xml), for machines
# without a Docker engine or a Kubernetes cluster. Needs python3 with PyYAML and kubectl (kustomize).
#   sh k8s/tools/check-all.sh
set -eu
cd "$(dirname "$0")/../.."
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT

python3 docker/check-compose.py
python3 k8s/tools/sync-configmaps.py --check
kubectl kustomize k8s/ > "$rendered"
python3 k8s/tools/check-manifests.py "$rendered"
kubectl kustomize k8s/monitoring/ > /dev/null && echo "k8s/monitoring: renders on its own"
python3 k8s/tools/check-monitoring.py
# PromQL itself (the check above only knows names): every rule parsed by Prometheus' own tool.
if command -v promtool >/dev/null 2>&1; then
  promtool check rules k8s/monitoring/prometheus-alerts.yml >/dev/null
  echo "alert rules: promtool ok"
  promtool check config docker/prometheus/prometheus.yml >/dev/null
  echo "docker Prometheus config: promtool ok"
else
  echo "promtool not found: alert rules not parsed (apt-get install prometheus)"
fi
for f in docker/postgres/*.sh; do bash -n "$f"; done
sh -n docker/pgbouncer/entrypoint.sh
sh -n docker/sagaz
echo "all deployment checks passed"
