// The partitions section: what get_partition_statistics() says, and a maintenance run on demand
// (routed to the leader; the API answers 423 when no node leads).
import { api, el, fill, report, table } from "./api.js";

const section = document.getElementById("partitions");
const content = section.querySelector(".content");
const result = section.querySelector(".result");
const runs = section.querySelector(".actions");

export function loadPartitions() {
  return fill(content, async () => {
    const stats = await api("/partitions");
    const ranged = stats.partitions.filter((p) => !p.isDefault);
    return [
      el("h3", "Partitions by range"),
      table(ranged, ["table", "partition", "from", "to", ["estimated rows", (p) => p.estimatedRows], ["size", (p) => bytes(p.totalBytes)]]),
      el("h3", "DEFAULT partitions (rows here belong in a partition of their own; maintenance moves them)"),
      table(stats.defaults, ["table", "partition", ["rows", (d) => d.rowCount]]),
    ];
  });
}

function bytes(n) {
  if (n === null || n === undefined) return "-";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? n + " B" : v.toFixed(1) + " " + units[u];
}

async function maintain() {
  report(result, "maintenance running…");
  try {
    const r = await api("/partitions/maintain", "POST");
    report(result, "Maintenance ran: " + r.actions.length + " action" + (r.actions.length === 1 ? "" : "s") + ".");
    runs.replaceChildren(el("h3", "What the run did"), table(r.actions));
  } catch (e) {
    report(result, e.message, true);
    runs.replaceChildren();
  }
  await loadPartitions();
}

section.querySelector(".maintain").addEventListener("click", maintain);
