// The outbox section: counts per status, and the dead letters with what failed them, which an
// operator replays one by one or by filter once the cause is fixed.
import { api, button, el, fill, report, table } from "./api.js";

const section = document.getElementById("outbox");
const stats = section.querySelector(".stats");
const filters = section.querySelector(".filters");
const letters = section.querySelector(".dead-letters");
const result = section.querySelector(".result");

function filter() {
  const f = {};
  for (const [k, v] of new FormData(filters)) if (v.trim() !== "") f[k] = v.trim();
  return f;
}

function loadStats() {
  return fill(stats, async () => {
    const s = await api("/outbox/stats");
    const rows = Object.entries(s.counts || {}).map(([status, count]) => ({ status, count }));
    const summary = el("p", "Oldest pending: " + (s.oldestPendingAgeSeconds ?? "-") + " s · dead letters: " + (s.deadLetters ?? "-"));
    return [summary, table(rows, ["status", "count"])];
  });
}

function loadDeadLetters() {
  return fill(letters, async () => {
    const list = (await api("/outbox/dead-letters?" + new URLSearchParams({ ...filter(), limit: "100" }))).deadLetters;
    const pick = (d) => {
      const box = el("input");
      box.type = "checkbox";
      box.value = d.eventId;
      box.setAttribute("aria-label", "select " + d.eventId);
      return box;
    };
    const t = table(list, [["", pick], "eventId", "topic", "eventType", "aggregateId", "attempts", "lastError", "replayCount", "createdAt"]);
    if (list.length === 0) return t;
    const selected = () => [...letters.querySelectorAll("input[type=checkbox]:checked")].map((b) => b.value);
    return [t, el("p", list.length === 100 ? "the newest 100 shown" : list.length + " shown", "empty"),
      button("Replay selected", () => replay({ ids: selected() }, selected().length + " selected"), "replay-selected"),
      button("Replay all matching the filter", () => replay({ filter: filter() }, described(filter())), "replay-filter")];
  });
}

function described(f) {
  const parts = Object.entries(f).map(([k, v]) => k + " " + v);
  return parts.length === 0 ? "every dead letter" : "every dead letter with " + parts.join(" and ");
}

async function replay(request, what) {
  if (request.ids && request.ids.length === 0) {
    report(result, "Select the dead letters to replay first.", true);
    return;
  }
  if (!window.confirm("Replay " + what + "? Each goes back to pending and is delivered again.")) return;
  try {
    const r = await api("/outbox/dead-letters/replay", "POST", request);
    report(result, "Replayed " + r.replayed + " dead letter" + (r.replayed === 1 ? "" : "s") + ".");
  } catch (e) {
    report(result, e.message, true);
  }
  await loadOutbox();
}

export function loadOutbox() {
  return Promise.all([loadStats(), loadDeadLetters()]);
}

filters.addEventListener("submit", (e) => { e.preventDefault(); loadDeadLetters(); });
