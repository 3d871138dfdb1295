// Sagaz Fleet console: the operator's view over the admin API (/api/v1), one module per section.
// The token stays in this browser tab only (sessionStorage).
import { token } from "./api.js";
import { loadCluster } from "./cluster.js";
import { loadOutbox } from "./outbox.js";
import { loadPartitions } from "./partitions.js";
import { loadSagas } from "./sagas.js";

const tokenInput = document.getElementById("token");
const statusLine = document.getElementById("status");
tokenInput.value = sessionStorage.getItem("sagaz.token") || "";

async function refresh() {
  sessionStorage.setItem("sagaz.token", token());
  statusLine.textContent = "loading…";
  await Promise.all([loadCluster(), loadOutbox(), loadSagas(), loadPartitions()]);
  statusLine.textContent = "updated " + new Date().toLocaleTimeString();
}

document.getElementById("login").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
document.getElementById("refresh").addEventListener("click", refresh);
if (tokenInput.value) refresh();
