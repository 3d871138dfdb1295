// Sagaz Fleet console: a thin reader over the admin API (/api/v1). Every call sends the bearer token
// the operator typed; nothing is stored beyond this browser tab (sessionStorage).
"use strict";

const tokenInput = document.getElementById("token");
const statusLine = document.getElementById("status");
tokenInput.value = sessionStorage.getItem("sagaz.token") || "";

/** GETs an API path; resolves to the JSON body, rejects with the problem detail. */
async function api(path) {
  const response = await fetch("/api/v1" + path, {
    headers: { "Authorization": "Bearer " + tokenInput.value.trim(), "Accept": "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    // Errors are RFC 9457 problem bodies: show the detail, which names what went wrong.
    throw new Error(response.status + " " + (body.title || response.statusText) + (body.detail ? ": " + body.detail : ""));
  }
  return body;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function cell(value) {
  const td = el("td");
  if (value !== null && typeof value === "object") {
    td.appendChild(el("code", JSON.stringify(value)));
  } else {
    td.textContent = value === null || value === undefined ? "" : String(value);
  }
  return td;
}

/** A table of rows (objects) with the union of their keys as columns. */
function table(rows, columns) {
  if (!rows || rows.length === 0) return el("p", "none", "empty");
  const keys = columns || [...new Set(rows.flatMap(Object.keys))];
  const t = el("table");
  const head = t.createTHead().insertRow();
  keys.forEach((k) => head.appendChild(el("th", k)));
  const body = t.createTBody();
  rows.forEach((row) => {
    const tr = body.insertRow();
    keys.forEach((k) => tr.appendChild(cell(row[k])));
  });
  return t;
}

/** Fills a section's content from a loader; a failure shows the problem detail there. */
async function fill(sectionId, loader) {
  const content = document.querySelector("#" + sectionId + " .content");
  try {
    const nodes = await loader();
    content.replaceChildren(...[].concat(nodes));
  } catch (e) {
    content.replaceChildren(el("p", e.message, "error"));
  }
}

function loadCluster() {
  return fill("cluster", async () => {
    const cluster = await api("/cluster");
    const leader = cluster.maintenanceLeader;
    document.querySelector("#cluster .leader").textContent = leader && leader.leader
      ? "Maintenance leader: " + leader.leader + " (epoch " + leader.epoch + ")"
      : "Maintenance leader: none answered";
    const t = table(cluster.members, ["nodeId", "roles", "adminUrl", "startedAt"]);
    // roles as badges, and mark this node
    if (t.tBodies) {
      [...t.tBodies[0].rows].forEach((tr, i) => {
        const member = cluster.members[i];
        tr.cells[1].replaceChildren(...member.roles.map((r) => el("span", r, "role")));
        if (member.clusterNodeId === cluster.self.clusterNodeId) tr.cells[0].textContent += " (this node)";
      });
    }
    return t;
  });
}

function loadOutbox() {
  return fill("outbox", async () => {
    const stats = await api("/outbox/stats");
    const rows = Object.entries(stats.counts || {}).map(([status, count]) => ({ status, count }));
    const summary = el("p", "Oldest pending: " + (stats.oldestPendingAgeSeconds ?? "-") + " s · dead letters: " + (stats.deadLetters ?? "-"));
    return [summary, table(rows, ["status", "count"])];
  });
}

function loadSagas() {
  const form = document.querySelector("#sagas .filters");
  const query = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (v !== "") query.set(k, v);
  return fill("sagas", async () => table((await api("/sagas?" + query)).sagas));
}

function loadPartitions() {
  return fill("partitions", async () => {
    const stats = await api("/partitions");
    return [table(stats.partitions), el("h3", "DEFAULT partitions"), table(stats.defaults)];
  });
}

async function refresh() {
  sessionStorage.setItem("sagaz.token", tokenInput.value.trim());
  statusLine.textContent = "loading…";
  await Promise.all([loadCluster(), loadOutbox(), loadSagas(), loadPartitions()]);
  statusLine.textContent = "updated " + new Date().toLocaleTimeString();
}

document.getElementById("login").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
document.getElementById("refresh").addEventListener("click", refresh);
document.querySelector("#sagas .filters").addEventListener("submit", (e) => { e.preventDefault(); loadSagas(); });
if (tokenInput.value) refresh();
