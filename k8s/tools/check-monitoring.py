#!/usr/bin/env python3
"""Offline checks of the alert rules and Grafana dashboards (no promtool or Grafana here).

  python3 k8s/tools/check-monitoring.py

- prometheus-alerts.yml: the rule-file shape Prometheus loads (groups/rules, alert, expr, for,
  labels.severity, annotations), the alerts the seeds and design ask for, balanced brackets and known
  PromQL functions in every expression, and a `runbook` annotation whose section exists in
  docs/operations/RUNBOOKS.md;
- grafana-dashboard-*.json: valid JSON, unique uids and panel ids, every query on the provisioned
  Prometheus datasource (uid `prometheus`);
- every metric name used anywhere is one the fleet exports. METRICS below is that list, with where each
  comes from: it is the one place to reconcile when a module renames a meter.
Exit status 1 with one line per problem.
"""
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MON = os.path.join(ROOT, "k8s", "monitoring")
RUNBOOKS = os.path.join(ROOT, "docs", "operations", "RUNBOOKS.md")

# Prometheus names (after Micrometer's suffixes) -> who exports them.
METRICS = {
    "outbox_pending_events_total": "outbox-verticles OutboxMetrics (seed name; a gauge value)",
    "outbox_published_events_total": "outbox-verticles OutboxMetrics",
    "outbox_failed_events_total": "outbox-verticles OutboxMetrics",
    "outbox_dead_lettered_events_total": "outbox-verticles OutboxMetrics (counter)",
    "outbox_dead_letter_events": "outbox-verticles OutboxMetrics (gauge)",
    "outbox_oldest_pending_age_seconds": "outbox-verticles OutboxMetrics",
    "outbox_publish_duration_seconds_bucket": "outbox-verticles OutboxMetrics (histogram)",
    "outbox_claim_size_events_count": "outbox-verticles OutboxMetrics (summary)",
    "outbox_claim_size_events_sum": "outbox-verticles OutboxMetrics (summary)",
    "outbox_in_flight_events": "outbox-verticles OutboxMetrics (gauge, per node)",
    "outbox_relay_unavailable_pollers": "outbox-verticles OutboxMetrics (gauge, per node)",
    "outbox_relay_unavailable_events_total": "outbox-verticles OutboxMetrics (counter)",
    "sagaz_saga_started_total": "saga-verticles SagaMetrics",
    "sagaz_saga_completed_total": "saga-verticles SagaMetrics",
    "sagaz_saga_rolled_back_total": "saga-verticles SagaMetrics",
    "sagaz_saga_failed_total": "saga-verticles SagaMetrics",
    "sagaz_saga_running": "saga-verticles SagaMetrics",
    "sagaz_saga_step_duration_seconds_bucket": "saga-verticles SagaMetrics (histogram)",
    "sagaz_partition_maintenance_duration_seconds_count": "admin-verticles PartitionMetrics (timer)",
    "sagaz_partition_maintenance_duration_seconds_sum": "admin-verticles PartitionMetrics (timer)",
    "sagaz_partition_maintenance_errors_total": "admin-verticles PartitionMetrics",
    "sagaz_partition_ahead_days": "admin-verticles PartitionMetrics",
    "sagaz_partition_default_rows": "admin-verticles PartitionMetrics",
    "sagaz_postgres_replication_lag_seconds": "admin-verticles DbMetrics (pg_stat_replication)",
    "sagaz_pgbouncer_active_connections": "admin-verticles DbMetrics (SHOW POOLS; pool = pgbouncer-<pool> host)",
    "sagaz_pgbouncer_waiting_connections": "admin-verticles DbMetrics (SHOW POOLS)",
    "jvm_memory_used_bytes": "Micrometer JVM binders",
    "jvm_memory_max_bytes": "Micrometer JVM binders",
    "up": "Prometheus",
}
REQUIRED_ALERTS = {
    "OutboxHighLag", "OutboxWorkerDown", "OutboxHighErrorRate", "OutboxDeadLetters",
    "PartitionMaintenanceFailed", "PostgresReplicationLagHigh", "PostgresReplicationLagCritical",
    "PgBouncerPoolExhaustion",
}
FUNCTIONS = {"sum", "max", "min", "avg", "count", "rate", "increase", "histogram_quantile", "absent",
             "vector", "min_over_time", "max_over_time", "clamp_min", "label_values", "deriv", "delta"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "offset", "bool", "le", "inf"}


def slug(heading):
  s = heading.strip().lower()
  s = re.sub(r"[^a-z0-9 -]", "", s)
  return s.replace(" ", "-")


def anchors():
  with open(RUNBOOKS) as f:
    return {slug(line.lstrip("#")) for line in f if line.startswith("#")}


def metric_names(expr, problems, where):
  for a, b in ("()", "{}", "[]"):
    if expr.count(a) != expr.count(b):
      problems.append("%s: unbalanced %s%s in %s" % (where, a, b, expr))
  text = re.sub(r'"[^"]*"', '""', expr)                   # strings
  text = re.sub(r"\{[^}]*\}", "", text)                    # label matchers
  text = re.sub(r"\[[^\]]*\]", "", text)                   # ranges and subqueries
  text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
  text = re.sub(r"\$\w+", "", text)                        # Grafana variables
  text = re.sub(r"\boffset\s+-?\d+[a-z]+", "", text)          # offset modifiers (offset 1d)
  names = set()
  for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
    word = m.group(0)
    rest = text[m.end():].lstrip()
    if word.lower() in KEYWORDS:
      continue
    if rest.startswith("("):
      if word not in FUNCTIONS:
        problems.append("%s: unknown function %s" % (where, word))
      continue
    if re.fullmatch(r"\d+(ms|s|m|h|d|w|y)?|e\d*", word):
      continue
    names.add(word)
  for n in names:
    if n not in METRICS:
      problems.append("%s: metric %s is not exported by the fleet (see METRICS)" % (where, n))
  return names


def check_rules(problems, known_anchors):
  with open(os.path.join(MON, "prometheus-alerts.yml")) as f:
    doc = yaml.safe_load(f)
  seen = set()
  used = set()
  for group in doc["groups"]:
    if set(group) - {"name", "rules", "interval"}:
      problems.append("group %s: unknown keys %s" % (group.get("name"), set(group) - {"name", "rules", "interval"}))
    for rule in group["rules"]:
      name = rule.get("alert")
      where = "alert %s" % name
      extra = set(rule) - {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}
      if extra:
        problems.append("%s: unknown keys %s" % (where, extra))
      if not name or not isinstance(rule.get("expr"), str):
        problems.append("%s: needs alert and expr" % where)
        continue
      if name in seen:
        problems.append("%s: defined twice" % where)
      seen.add(name)
      if "for" in rule and not re.fullmatch(r"\d+[smhd]", str(rule["for"])):
        problems.append("%s: bad for %s" % (where, rule["for"]))
      if rule.get("labels", {}).get("severity") not in ("info", "warning", "critical"):
        problems.append("%s: severity must be info, warning or critical" % where)
      ann = rule.get("annotations", {})
      if not ann.get("summary"):
        problems.append("%s: no summary" % where)
      book = ann.get("runbook", "")
      if not book.startswith("docs/operations/RUNBOOKS.md#") or book.split("#", 1)[1] not in known_anchors:
        problems.append("%s: runbook %s is not a section of RUNBOOKS.md" % (where, book))
      used |= metric_names(rule["expr"], problems, where)
  for missing in REQUIRED_ALERTS - seen:
    problems.append("required alert %s missing" % missing)
  return used


def check_dashboards(problems):
  uids = set()
  used = set()
  for name in ("grafana-dashboard-saga.json", "grafana-dashboard-outbox.json"):
    with open(os.path.join(MON, name)) as f:
      d = json.load(f)
    if d["uid"] in uids:
      problems.append("%s: uid %s used twice" % (name, d["uid"]))
    uids.add(d["uid"])
    ids = [p["id"] for p in d["panels"]]
    if len(ids) != len(set(ids)):
      problems.append("%s: duplicate panel ids" % name)
    for var in d.get("templating", {}).get("list", []):
      # label_values(<series selector>, <label>): only the selector names a metric.
      query = re.sub(r"^label_values\((.*),\s*\w+\)$", r"\1", var["query"]["query"])
      used |= metric_names(query, problems, "%s variable %s" % (name, var["name"]))
    for p in d["panels"]:
      if p["type"] == "row":
        continue
      if p.get("datasource", {}).get("uid") != "prometheus":
        problems.append("%s panel %s: datasource must be uid prometheus" % (name, p["title"]))
      for t in p["targets"]:
        if t.get("datasource", {}).get("uid") != "prometheus":
          problems.append("%s panel %s: target datasource must be uid prometheus" % (name, p["title"]))
        used |= metric_names(t["expr"], problems, "%s panel %s" % (name, p["title"]))
  return used


def main():
  problems = []
  known = anchors()
  used = check_rules(problems, known) | check_dashboards(problems)
  for p in problems:
    print("problem:", p)
  if problems:
    sys.exit(1)
  print("monitoring: ok; metrics used:")
  for m in sorted(used):
    print("  %-52s %s" % (m, METRICS[m]))


if __name__ == "__main__":
  main()
