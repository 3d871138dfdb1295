#!/usr/bin/env python3
"""Static checks of docker-compose.yml for machines without a Docker engine (like CI here).

It does what `docker compose config` would catch for this file, plus the project's own contracts:
variable interpolation (with .env.example), every bind-mounted file and the build context exist,
depends_on targets exist, named volumes are declared, host ports are unique, the service names and
ports the seed runbooks use are there, and each node's cluster host is a member in
conf/cluster-docker.xml and a Prometheus target.

Usage: python3 docker/check-compose.py        (exit status 1 and a list of problems when it fails)
Needs PyYAML.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SEED_SERVICES = {
    "postgres-primary", "postgres-replica", "postgres-init", "pgbouncer-rw", "pgbouncer-ro",
    "kafka", "rabbitmq", "sagaz-node-1", "sagaz-node-2", "sagaz-node-3", "prometheus", "grafana",
}
# service -> host port the seed runbooks or the README connect to
SEED_HOST_PORTS = {
    "pgbouncer-rw": "6432", "pgbouncer-ro": "6433",
    "sagaz-node-1": "8081", "sagaz-node-2": "8082", "sagaz-node-3": "8083",
}
NODES = ["sagaz-node-1", "sagaz-node-2", "sagaz-node-3"]

VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def read_env(path):
  env = {}
  with open(path) as f:
    for line in f:
      line = line.strip()
      if line and not line.startswith("#"):
        key, _, value = line.partition("=")
        env[key.strip()] = value.strip()
  return env


def interpolate(text, env, problems):
  def repl(m):
    if m.group(0) == "$$":
      return "$"
    name = m.group(1) or m.group(4)
    op, arg = m.group(2), m.group(3)
    value = env.get(name)
    if op in (":-", "-"):
      if value is None or (op == ":-" and value == ""):
        return interpolate(arg, env, problems)
      return value
    if op in (":?", "?"):
      if value is None or (op == ":?" and value == ""):
        problems.append("required variable %s is not set: %s" % (name, arg))
        return ""
      return value
    if value is None:
      problems.append("variable %s has no value and no default" % name)
      return ""
    return value
  return VAR.sub(repl, text)


def host_port(spec):
  # "[ip:]host:container[/proto]" -> host
  parts = str(spec).split("/")[0].split(":")
  return parts[-2] if len(parts) >= 2 else None


def check(env):
  problems = []
  with open(os.path.join(HERE, "docker-compose.yml")) as f:
    raw = f.read()
  doc = yaml.safe_load(interpolate(raw, env, problems))

  if doc.get("name") != "local-postgres":
    problems.append("project name must be local-postgres (seed volume local-postgres_postgres_replica_data)")
  services = doc.get("services", {})
  volumes = set((doc.get("volumes") or {}).keys())

  missing = SEED_SERVICES - set(services)
  if missing:
    problems.append("services missing: %s" % sorted(missing))

  seen_ports = {}
  for name, svc in services.items():
    if not svc.get("image") and not svc.get("build"):
      problems.append("%s: neither image nor build" % name)
    build = svc.get("build")
    if build:
      ctx = os.path.normpath(os.path.join(HERE, build["context"]))
      dockerfile = os.path.join(ctx, build.get("dockerfile", "Dockerfile"))
      for p in (ctx, dockerfile):
        if not os.path.exists(p):
          problems.append("%s: build path %s does not exist" % (name, p))
    deps = svc.get("depends_on") or {}
    for dep, cond in (deps.items() if isinstance(deps, dict) else ((d, None) for d in deps)):
      if dep not in services:
        problems.append("%s depends on unknown service %s" % (name, dep))
      if cond and cond.get("condition") not in ("service_started", "service_healthy", "service_completed_successfully"):
        problems.append("%s: bad depends_on condition %s" % (name, cond))
      if cond and cond.get("condition") == "service_healthy":
        hc = services.get(dep, {}).get("healthcheck")
        built_hc = services.get(dep, {}).get("build")  # the sagaz image has a HEALTHCHECK
        if not hc and not built_hc:
          problems.append("%s waits for %s to be healthy but it has no healthcheck" % (name, dep))
    for vol in svc.get("volumes") or []:
      src = str(vol).split(":")[0]
      if src.startswith(".") or src.startswith("/"):
        path = os.path.normpath(os.path.join(HERE, src))
        if not os.path.exists(path):
          problems.append("%s: bind mount source %s does not exist" % (name, path))
      elif src not in volumes:
        problems.append("%s: named volume %s is not declared" % (name, src))
    for spec in svc.get("ports") or []:
      hp = host_port(spec)
      if hp in seen_ports:
        problems.append("host port %s used by %s and %s" % (hp, seen_ports[hp], name))
      seen_ports[hp] = name
    envs = svc.get("environment") or {}
    if isinstance(envs, list):
      problems.append("%s: use a mapping for environment" % name)

  for svc, port in SEED_HOST_PORTS.items():
    if seen_ports.get(port) != svc:
      problems.append("host port %s must belong to %s (seed runbooks), found %s" % (port, svc, seen_ports.get(port)))

  # Cluster wiring: every node's event-bus host is a Hazelcast member and a Prometheus target.
  ns = {"hz": "http://www.hazelcast.com/schema/config"}
  hz = ET.parse(os.path.join(ROOT, "conf", "cluster-docker.xml"))
  members = [m.text.strip() for m in hz.findall(".//hz:tcp-ip/hz:member", ns)]
  with open(os.path.join(HERE, "prometheus", "prometheus.yml")) as f:
    prom = yaml.safe_load(f)
  targets = [t for job in prom["scrape_configs"] if job["job_name"] == "sagaz"
             for sc in job["static_configs"] for t in sc["targets"]]
  for node in NODES:
    env_ = services.get(node, {}).get("environment", {})
    host = env_.get("SAGAZ_CLUSTER_HOST")
    if host != node or services[node].get("hostname") != node:
      problems.append("%s: SAGAZ_CLUSTER_HOST/hostname must be %s" % (node, node))
    if host not in members:
      problems.append("%s is not a member in conf/cluster-docker.xml" % node)
    if "%s:8080" % node not in targets:
      problems.append("%s:8080 is not a Prometheus target" % node)
    cfg = env_.get("SAGAZ_CLUSTER_CONFIG", "")
    if not cfg.startswith("/opt/sagaz/conf/") or not os.path.exists(os.path.join(ROOT, "conf", os.path.basename(cfg))):
      problems.append("%s: SAGAZ_CLUSTER_CONFIG %s is not a file in conf/" % (node, cfg))
    token = env_.get("SAGAZ_ADMIN_TOKEN") or ""
    if len(token) < 16:
      problems.append("%s: SAGAZ_ADMIN_TOKEN shorter than 16 characters" % node)
  return problems


def main():
  env = read_env(os.path.join(HERE, ".env.example"))
  problems = check(env)
  # Without a .env file the admin token must be refused, with a message that says what to do.
  no_token = check({k: v for k, v in env.items() if k != "SAGAZ_ADMIN_TOKEN"})
  if not any("SAGAZ_ADMIN_TOKEN" in p and "required" in p for p in no_token):
    problems.append("a missing SAGAZ_ADMIN_TOKEN must stop docker-compose with a message")
  for p in problems:
    print("problem:", p)
  if problems:
    sys.exit(1)
  print("docker-compose.yml: ok (%s)" % os.path.join(HERE, "docker-compose.yml"))


if __name__ == "__main__":
  main()
