// The console's one way to the admin API (/api/v1) and the few DOM helpers every section uses.
// Every call sends the bearer token the operator typed; nothing is stored beyond this browser tab
// (sessionStorage).

const tokenInput = document.getElementById("token");

export function token() {
  return tokenInput.value.trim();
}

/**
 * Calls an API path; resolves to the JSON body. Errors are RFC 9457 problem bodies, and the rejection
 * carries their status, title and detail, because the detail names what was wrong.
 */
export async function api(path, method = "GET", body = undefined) {
  const headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch("/api/v1" + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(response.status + " " + (answer.title || response.statusText) + (answer.detail ? ": " + answer.detail : ""));
  }
  return answer;
}

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function button(label, onClick, className) {
  const b = el("button", label, className);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function cell(value) {
  const td = el("td");
  if (value instanceof Node) {
    td.appendChild(value);
  } else if (value !== null && typeof value === "object") {
    td.appendChild(el("code", JSON.stringify(value)));
  } else {
    td.textContent = value === null || value === undefined ? "" : String(value);
  }
  return td;
}

/**
 * A table of rows (objects) with the union of their keys as columns, or the columns given. A column
 * may be a [heading, row => value] pair, for a cell made from the row (a link, a check box).
 */
export function table(rows, columns) {
  if (!rows || rows.length === 0) return el("p", "none", "empty");
  const cols = (columns || [...new Set(rows.flatMap(Object.keys))])
    .map((c) => (Array.isArray(c) ? c : [c, (row) => row[c]]));
  const t = el("table");
  const head = t.createTHead().insertRow();
  cols.forEach(([heading]) => head.appendChild(el("th", heading)));
  const body = t.createTBody();
  rows.forEach((row) => {
    const tr = body.insertRow();
    cols.forEach(([, value]) => tr.appendChild(cell(value(row))));
  });
  return t;
}

/** Fills an element from a loader; a failure shows the problem detail there instead. */
export async function fill(target, loader) {
  try {
    const nodes = await loader();
    target.replaceChildren(...[].concat(nodes));
  } catch (e) {
    target.replaceChildren(el("p", e.message, "error"));
  }
}

/** Shows the outcome of an operator's action in a section's result line. */
export function report(target, message, failed) {
  target.textContent = message;
  target.className = "result" + (failed ? " error" : "");
}
