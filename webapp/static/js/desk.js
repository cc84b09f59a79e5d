/* The live visit page (docs/desk.md): search, filters and the student table follow the visit's
   state while the page is open, from GET /api/v1/visits/{id}/students, without a full reload.
   The server renders the same table first, so the page works without this script. */
(function () {
  "use strict";

  var root = document.getElementById("desk");
  if (!root) return;
  var words = JSON.parse(root.getAttribute("data-words"));
  var url = root.getAttribute("data-url");
  var correctUrl = root.getAttribute("data-correct");
  var interval = parseInt(root.getAttribute("data-interval"), 10) || 4000;
  var form = root.querySelector(".desk-search");
  var q = form.querySelector("input[name=q]");
  var statusInput = form.querySelector("input[name=status]");
  var tbody = root.querySelector("[data-rows]");
  var shown = { version: root.getAttribute("data-version"), key: q.value + "|" + statusInput.value };
  var timer = null;
  var busy = false;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function word(table, code) {
    var value = words[table][code == null ? "" : code];
    return value == null ? (code || "") : value;
  }

  function row(s) {
    var tr = el("tr");
    tr.setAttribute("data-id", s.id);
    var name = el("td", s.name);
    if (s.nisn) { name.appendChild(el("br")); name.appendChild(el("small", s.nisn, "muted")); }
    tr.appendChild(name);
    tr.appendChild(el("td", s.class_name));
    tr.appendChild(el("td", s.nik_masked, "mono"));
    tr.appendChild(el("td", word("attendance", s.attendance)));
    tr.appendChild(el("td", s.ticket || ""));
    var outcome = el("td", word("outcome", s.outcome));
    outcome.setAttribute("data-col", "outcome");
    if (s.corrections) { outcome.appendChild(document.createTextNode(" ")); outcome.appendChild(el("small", words.corrected, "badge warn")); }
    tr.appendChild(outcome);
    tr.appendChild(el("td", s.reason_label || ""));
    tr.appendChild(el("td", word("ikd", s.ikd)));
    var print = el("td", word("print", s.print));
    if (s.print_reason) { print.appendChild(document.createTextNode(" ")); print.appendChild(el("small", word("print_reason", s.print_reason), "muted")); }
    tr.appendChild(print);
    var conflicts = el("td");
    s.conflicts.forEach(function (c) { conflicts.appendChild(el("span", word("conflict", c), "badge warn")); conflicts.appendChild(document.createTextNode(" ")); });
    tr.appendChild(conflicts);
    var action = el("td");
    var link = el("a", words.correct);
    link.href = correctUrl.replace("__ID__", encodeURIComponent(s.id));
    action.appendChild(link);
    tr.appendChild(action);
    return tr;
  }

  function render(data) {
    var rows = data.students.map(row);
    if (!rows.length) {
      var empty = el("tr");
      var td = el("td", words.none, "muted");
      td.colSpan = 11;
      empty.appendChild(td);
      rows = [empty];
    }
    tbody.replaceChildren.apply(tbody, rows);
    Object.keys(data.progress).forEach(function (k) {
      var dd = root.querySelector("[data-progress] [data-k=" + k + "]");
      if (!dd) return;
      var v = data.progress[k];
      dd.textContent = k === "percent_of_target" ? (v == null ? "–" : v + "%") : String(v);
    });
    root.querySelector("[data-count]").textContent = String(data.students.length);
    root.querySelector("[data-version-text]").textContent = String(data.version);
    root.setAttribute("data-version", String(data.version));
  }

  function refresh(force) {
    if (busy) return Promise.resolve();
    var key = q.value + "|" + statusInput.value;
    var params = new URLSearchParams({ q: q.value, status: statusInput.value });
    busy = true;
    return fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        // Redraw only when something changed: the state, or what the coordinator asked for.
        if (force || String(data.version) !== shown.version || key !== shown.key) render(data);
        shown = { version: String(data.version), key: key };
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ })
      .then(function () { busy = false; });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (document.visibilityState !== "hidden") refresh(false).then(schedule); else schedule();
    }, interval);
  }

  function remember() {
    var params = new URLSearchParams();
    if (q.value) params.set("q", q.value);
    if (statusInput.value) params.set("status", statusInput.value);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    root.querySelectorAll("[data-status]").forEach(function (a) {
      var on = a.getAttribute("data-status") === statusInput.value;
      a.classList.toggle("primary", on);
      if (on) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); remember(); refresh(true); });
  var typing = null;
  q.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { remember(); refresh(true); }, 250);
  });
  root.querySelectorAll("[data-status]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      statusInput.value = a.getAttribute("data-status");
      remember();
      refresh(true);
    });
  });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") refresh(false); });
  schedule();
}());
