#!/usr/bin/env python3
"""Offline checks of the Kubernetes manifests (no cluster, no schema download needed).

  kubectl kustomize k8s/ > /tmp/sagaz.yaml && python3 k8s/tools/check-manifests.py /tmp/sagaz.yaml

Checks the rendered output for what a dry run against a cluster would not tell you either:
  - every file in k8s/ and k8s/monitoring/ also stands alone (`kubectl apply -f`): namespace set;
  - references resolve: ConfigMaps, Secrets and keys, volumes, Service selectors and target ports,
    HPA and PDB targets, NetworkPolicy selectors;
  - pod security: non-root, RuntimeDefault seccomp, no privilege escalation, read-only root file system
    with /tmp writable, all capabilities dropped; unknown fields in containers, probes and pod specs;
  - the names the seed runbooks use (app=postgresql, pgbouncer pool-type labels and ports,
    outbox-worker, outbox-worker-metrics:8000, the HPA 3..10 at 1,000 pending per pod);
  - Hazelcast discovery: the DNS name in sagaz-hazelcast is the headless Service, which publishes
    not-ready pods and selects both fleet Deployments.
Exit status 1 with one line per problem.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml

K8S = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding"}
WORKLOADS = {"Deployment", "StatefulSet", "Job"}
CONTAINER_KEYS = {"name", "image", "command", "args", "env", "envFrom", "ports", "readinessProbe",
                  "livenessProbe", "startupProbe", "lifecycle", "resources", "securityContext",
                  "volumeMounts", "workingDir", "imagePullPolicy"}
POD_KEYS = {"containers", "initContainers", "volumes", "securityContext", "serviceAccountName",
            "automountServiceAccountToken", "terminationGracePeriodSeconds", "affinity",
            "topologySpreadConstraints", "restartPolicy", "nodeSelector", "tolerations"}
PROBE_KEYS = {"httpGet", "exec", "tcpSocket", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
              "failureThreshold", "successThreshold"}
CSC_KEYS = {"allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "runAsNonRoot",
            "runAsUser", "runAsGroup", "seccompProfile"}


class Problems(list):
  def add(self, where, text):
    self.append("%s: %s" % (where, text))


def ident(doc):
  m = doc["metadata"]
  return "%s/%s" % (doc["kind"], m["name"])


# Labels a pod gets at run time: from the StatefulSet controller, and from postgresql's label-role
# init container (k8s/postgresql-ha.yaml). A selector on them cannot be checked against a template.
RUNTIME_LABELS = {"statefulset.kubernetes.io/pod-name", "sagaz.io/pg-role"}


def matches(selector, labels):
  return bool(selector) and all(labels.get(k) == v for k, v in selector.items() if k not in RUNTIME_LABELS)


def pod_templates(docs):
  for d in docs:
    if d["kind"] in WORKLOADS:
      yield d, d["spec"]["template"]


def check_standalone_files(p):
  files = sorted(glob.glob(os.path.join(K8S, "*.yaml")) + glob.glob(os.path.join(K8S, "monitoring", "*.yaml")))
  for path in files:
    name = os.path.relpath(path, os.path.dirname(K8S))
    if os.path.basename(path) in ("kustomization.yaml", "prometheus-adapter-values.yaml"):
      continue
    with open(path) as f:
      for doc in yaml.safe_load_all(f):
        if not doc:
          continue
        if doc["kind"] not in CLUSTER_SCOPED and not doc["metadata"].get("namespace"):
          p.add(name, "%s has no namespace (kubectl apply -f would use the current one)" % ident(doc))


def check_pod_security(p, owner, tpl):
  spec = tpl["spec"]
  where = ident(owner)
  for k in spec:
    if k not in POD_KEYS:
      p.add(where, "unknown pod spec field %s" % k)
  psc = spec.get("securityContext") or {}
  if psc.get("runAsNonRoot") is not True:
    p.add(where, "pod securityContext.runAsNonRoot must be true")
  if (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
    p.add(where, "pod seccompProfile must be RuntimeDefault")
  volumes = {v["name"]: v for v in spec.get("volumes") or []}
  for vct in owner["spec"].get("volumeClaimTemplates") or []:
    volumes[vct["metadata"]["name"]] = vct
  for c in (spec.get("initContainers") or []) + spec["containers"]:
    cw = "%s container %s" % (where, c["name"])
    for k in c:
      if k not in CONTAINER_KEYS:
        p.add(cw, "unknown container field %s" % k)
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
      for k in (c.get(probe) or {}):
        if k not in PROBE_KEYS:
          p.add(cw, "unknown %s field %s" % (probe, k))
    sc = c.get("securityContext") or {}
    for k in sc:
      if k not in CSC_KEYS:
        p.add(cw, "unknown securityContext field %s" % k)
    if sc.get("allowPrivilegeEscalation") is not False:
      p.add(cw, "allowPrivilegeEscalation must be false")
    if sc.get("readOnlyRootFilesystem") is not True:
      p.add(cw, "readOnlyRootFilesystem must be true")
    if (sc.get("capabilities") or {}).get("drop") != ["ALL"]:
      p.add(cw, "capabilities.drop must be [ALL]")
    mounts = c.get("volumeMounts") or []
    for m in mounts:
      if m["name"] not in volumes:
        p.add(cw, "volumeMount %s has no volume" % m["name"])
    if c not in (spec.get("initContainers") or []) and not any(m["mountPath"] == "/tmp" for m in mounts):
      p.add(cw, "read-only root file system but no writable /tmp")
    if not (c.get("resources") or {}).get("limits"):
      p.add(cw, "no resource limits")


def check_references(p, docs):
  by_kind = {}
  for d in docs:
    by_kind.setdefault(d["kind"], {})[(d["metadata"].get("namespace"), d["metadata"]["name"])] = d

  def secret_keys(ns, name):
    s = by_kind.get("Secret", {}).get((ns, name))
    return None if s is None else set((s.get("stringData") or {}).keys()) | set((s.get("data") or {}).keys())

  for owner, tpl in pod_templates(docs):
    ns = owner["metadata"]["namespace"]
    where = ident(owner)
    spec = tpl["spec"]
    for v in spec.get("volumes") or []:
      if "configMap" in v and (ns, v["configMap"]["name"]) not in by_kind.get("ConfigMap", {}):
        p.add(where, "volume %s: ConfigMap %s not found" % (v["name"], v["configMap"]["name"]))
      if "secret" in v and secret_keys(ns, v["secret"]["secretName"]) is None:
        p.add(where, "volume %s: Secret %s not found" % (v["name"], v["secret"]["secretName"]))
      if "configMap" in v:
        cm = by_kind.get("ConfigMap", {}).get((ns, v["configMap"]["name"]))
        for c in spec["containers"]:
          for m in c.get("volumeMounts") or []:
            if m["name"] == v["name"] and m.get("subPath") and cm and m["subPath"] not in cm.get("data", {}):
              p.add(where, "subPath %s not a key of ConfigMap %s" % (m["subPath"], cm["metadata"]["name"]))
    sa = spec.get("serviceAccountName")
    if sa and (ns, sa) not in by_kind.get("ServiceAccount", {}):
      p.add(where, "ServiceAccount %s not found" % sa)
    for c in (spec.get("initContainers") or []) + spec["containers"]:
      for e in c.get("env") or []:
        ref = (e.get("valueFrom") or {}).get("secretKeyRef")
        if ref:
          keys = secret_keys(ns, ref["name"])
          if keys is None or ref["key"] not in keys:
            if not ref.get("optional"):
              p.add(where, "env %s: secret %s key %s not found" % (e["name"], ref["name"], ref["key"]))
            elif keys is not None:
              p.add(where, "env %s: optional key %s missing from the example secret %s" % (e["name"], ref["key"], ref["name"]))

  templates = [(o, t) for o, t in pod_templates(docs)]
  for key, svc in by_kind.get("Service", {}).items():
    sel = svc["spec"].get("selector")
    hits = [(o, t) for o, t in templates if o["metadata"]["namespace"] == key[0] and matches(sel, t["metadata"]["labels"])]
    if not hits:
      p.add(ident(svc), "selector %s matches no pod template" % sel)
    for port in svc["spec"]["ports"]:
      tp = port.get("targetPort", port["port"])
      for o, t in hits:
        names = {cp.get("name") for c in t["spec"]["containers"] for cp in c.get("ports") or []}
        nums = {cp["containerPort"] for c in t["spec"]["containers"] for cp in c.get("ports") or []}
        if tp not in names and tp not in nums:
          p.add(ident(svc), "targetPort %s not a port of %s" % (tp, ident(o)))
  for kind in ("HorizontalPodAutoscaler",):
    for key, h in by_kind.get(kind, {}).items():
      ref = h["spec"]["scaleTargetRef"]
      if (key[0], ref["name"]) not in by_kind.get(ref["kind"], {}):
        p.add(ident(h), "scale target %s/%s not found" % (ref["kind"], ref["name"]))
  for key, pdb in by_kind.get("PodDisruptionBudget", {}).items():
    sel = pdb["spec"]["selector"]["matchLabels"]
    if not any(o["metadata"]["namespace"] == key[0] and matches(sel, t["metadata"]["labels"]) for o, t in templates):
      p.add(ident(pdb), "selector matches no pod template")
  for key, np_ in by_kind.get("NetworkPolicy", {}).items():
    sel = np_["spec"]["podSelector"].get("matchLabels")
    if sel and not any(o["metadata"]["namespace"] == key[0] and matches(sel, t["metadata"]["labels"]) for o, t in templates):
      p.add(ident(np_), "podSelector matches no pod template")
  return by_kind


def check_seed_names(p, by_kind):
  ns = "sagaz"

  def get(kind, name):
    d = by_kind.get(kind, {}).get((ns, name))
    if d is None:
      p.add("seed", "%s %s/%s missing" % (kind, ns, name))
    return d

  if (None, "sagaz") not in by_kind.get("Namespace", {}):
    p.add("seed", "Namespace sagaz missing")
  sts = get("StatefulSet", "postgresql")
  if sts:
    if sts["spec"]["template"]["metadata"]["labels"].get("app") != "postgresql":
      p.add("seed", "postgresql pods must carry app=postgresql")
    if sts["spec"]["replicas"] < 2:
      p.add("seed", "postgresql needs a primary and replicas")
  for svc in ("postgresql-primary", "postgresql-read"):
    s = get("Service", svc)
    if s and s["spec"]["ports"][0]["port"] != 5432:
      p.add("seed", "%s must listen on 5432" % svc)
  for name, pool in (("pgbouncer-rw", "write"), ("pgbouncer-ro", "read")):
    d = get("Deployment", name)
    if d:
      labels = d["spec"]["template"]["metadata"]["labels"]
      if labels.get("app") != "pgbouncer" or labels.get("pool-type") != pool:
        p.add("seed", "%s pods need app=pgbouncer,pool-type=%s" % (name, pool))
      ports = [cp["containerPort"] for c in d["spec"]["template"]["spec"]["containers"] for cp in c.get("ports", [])]
      if 5432 not in ports:
        p.add("seed", "%s must listen on 5432 in the pod (kubectl exec ... psql -h 127.0.0.1 -p 5432)" % name)
    s = get("Service", name)
    if s and s["spec"]["ports"][0]["port"] != 6432:
      p.add("seed", "Service %s must listen on 6432" % name)
  w = get("Deployment", "outbox-worker")
  if w and w["spec"]["template"]["metadata"]["labels"].get("app") != "outbox-worker":
    p.add("seed", "outbox-worker pods need app=outbox-worker (kubectl get pods -l app=outbox-worker)")
  s = get("Service", "outbox-worker-metrics")
  if s and s["spec"]["ports"][0]["port"] != 8000:
    p.add("seed", "outbox-worker-metrics must serve port 8000")
  h = get("HorizontalPodAutoscaler", "outbox-worker")
  if h:
    spec = h["spec"]
    m = spec["metrics"][0]
    body = m.get("external") or m.get("pods")
    if (spec["minReplicas"], spec["maxReplicas"]) != (3, 10) or body["metric"]["name"] != "outbox_pending_events_total" \
        or body["target"] != {"type": "AverageValue", "averageValue": "1000"}:
      p.add("seed", "HPA outbox-worker must scale 3..10 on outbox_pending_events_total, 1000 per pod")
  for name, roles in (("sagaz-node", "saga,maintenance,admin"), ("outbox-worker", "outbox,admin")):
    d = get("Deployment", name)
    if d:
      env = {e["name"]: e for c in d["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])}
      if env.get("SAGAZ_NODE_ROLES", {}).get("value") != roles:
        p.add("seed", "%s must run roles %s" % (name, roles))
      if "terminationGracePeriodSeconds" not in d["spec"]["template"]["spec"]:
        p.add("seed", "%s needs a terminationGracePeriodSeconds" % name)
      if not d["spec"]["template"]["spec"]["containers"][0].get("lifecycle", {}).get("preStop"):
        p.add("seed", "%s needs a preStop hook" % name)


def check_cluster_discovery(p, by_kind):
  cm = by_kind.get("ConfigMap", {}).get(("sagaz", "sagaz-hazelcast"))
  if cm is None:
    p.add("hazelcast", "ConfigMap sagaz-hazelcast missing")
    return
  ns = {"hz": "http://www.hazelcast.com/schema/config"}
  root = ET.fromstring(cm["data"]["cluster.xml"])
  dns = root.find(".//hz:kubernetes/hz:service-dns", ns).text.strip()
  m = re.match(r"^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.", dns)
  if not m:
    p.add("hazelcast", "service-dns %s is not <service>.<namespace>.svc..." % dns)
    return
  svc = by_kind.get("Service", {}).get((m.group(2), m.group(1)))
  if svc is None:
    p.add("hazelcast", "service-dns %s names no Service" % dns)
    return
  if svc["spec"].get("clusterIP") != "None" or not svc["spec"].get("publishNotReadyAddresses"):
    p.add("hazelcast", "Service %s must be headless and publish not-ready addresses" % m.group(1))
  for name in ("sagaz-node", "outbox-worker"):
    d = by_kind.get("Deployment", {}).get(("sagaz", name))
    if d and not matches(svc["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"]):
      p.add("hazelcast", "Service %s does not select %s" % (m.group(1), name))
    if d:
      mounts = {v["name"]: v for v in d["spec"]["template"]["spec"]["volumes"]}
      env = {e["name"]: e for e in d["spec"]["template"]["spec"]["containers"][0]["env"]}
      path = env.get("SAGAZ_CLUSTER_CONFIG", {}).get("value", "")
      vm = [vm for vm in d["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
            if path.startswith(vm["mountPath"] + "/")]
      if not vm or mounts[vm[0]["name"]].get("configMap", {}).get("name") != "sagaz-hazelcast" \
          or os.path.basename(path) not in cm["data"]:
        p.add("hazelcast", "%s: SAGAZ_CLUSTER_CONFIG %s is not the mounted sagaz-hazelcast cluster.xml" % (name, path))


def main():
  if len(sys.argv) != 2:
    sys.exit(__doc__)
  with open(sys.argv[1]) as f:
    docs = [d for d in yaml.safe_load_all(f) if d]
  p = Problems()
  seen = set()
  for d in docs:
    key = (d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"])
    if key in seen:
      p.add("render", "duplicate %s" % (key,))
    seen.add(key)
    if d["kind"] not in CLUSTER_SCOPED and d["metadata"].get("namespace") not in ("sagaz", "monitoring"):
      p.add("render", "%s in namespace %s" % (ident(d), d["metadata"].get("namespace")))
  check_standalone_files(p)
  for owner, tpl in pod_templates(docs):
    check_pod_security(p, owner, tpl)
  by_kind = check_references(p, docs)
  check_seed_names(p, by_kind)
  check_cluster_discovery(p, by_kind)
  for line in p:
    print("problem:", line)
  if p:
    sys.exit(1)
  print("manifests: ok (%d objects)" % len(docs))


if __name__ == "__main__":
  main()
