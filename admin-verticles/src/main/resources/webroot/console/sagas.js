// The sagas section: a filtered list, and one saga's steps and history, with the two operator
// actions the API offers: cancel a running saga, retry a FAILED saga's compensation.
import { api, button, el, fill, report, table } from "./api.js";

const section = document.getElementById("sagas");
const filters = section.querySelector(".filters");
const list = section.querySelector(".content");
const detail = section.querySelector(".detail");
const result = section.querySelector(".result");

const RUNNING = ["PENDING", "EXECUTING"];

export function loadSagas() {
  const query = new URLSearchParams();
  for (const [k, v] of new FormData(filters)) if (v !== "") query.set(k, v);
  return fill(list, async () => table((await api("/sagas?" + query)).sagas, [
    ["sagaId", (s) => {
      const open = button(s.sagaId, () => showSaga(s.sagaId), "link");
      open.dataset.sagaId = s.sagaId;
      return open;
    }],
    "saga", "status", "error", "ownerNode", "createdAt", "updatedAt",
  ]));
}

async function showSaga(id) {
  await fill(detail, async () => {
    const s = await api("/sagas/" + encodeURIComponent(id));
    const steps = Object.entries(s.steps || {}).map(([step, state]) => ({ step, ...(typeof state === "object" ? state : { status: state }) }));
    const actions = [];
    if (RUNNING.includes(s.status)) actions.push(button("Cancel saga", () => act(id, "cancel", "Cancel"), "cancel"));
    if (s.status === "FAILED") actions.push(button("Retry compensation", () => act(id, "retry-compensation", "Retry the compensation of"), "retry-compensation"));
    return [
      el("h3", s.saga + " " + s.sagaId),
      el("p", "Status: " + s.status + (s.error ? " · error: " + s.error : "") + " · owner: " + (s.ownerNode || "-"), "saga-status"),
      ...actions,
      el("h4", "Steps"), table(steps),
      el("h4", "History"), table(s.history, ["at", "step", "event", "from", "to", "node", "detail"]),
    ];
  });
  // the detail sits below a list that may be long: bring it to the person who asked for it
  detail.scrollIntoView({ block: "start" });
}

async function act(id, action, verb) {
  if (!window.confirm(verb + " saga " + id + "?")) return;
  try {
    const r = await api("/sagas/" + encodeURIComponent(id) + "/" + action, "POST");
    report(result, "Saga " + r.sagaId + " is " + r.status + ".");
  } catch (e) {
    report(result, e.message, true);
  }
  await Promise.all([showSaga(id), loadSagas()]);
}

filters.addEventListener("submit", (e) => { e.preventDefault(); loadSagas(); });
