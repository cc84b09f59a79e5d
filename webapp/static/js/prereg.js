/* Pre-registration pages: live checks against the server, list filter, confirmations.
   Plain JavaScript, no build step; everything still works without it (server decides). */
(function () {
  "use strict";

  var API_NAMES = { class_name: "class" };

  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); var a = arguments; t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }

  function para(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function studentForm(form) {
    var url = form.getAttribute("data-check-url");
    var studentId = form.getAttribute("data-student-id");
    var touched = {};
    var pending = null;

    function payload() {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrf_token" || el.type === "submit") return;
        var name = API_NAMES[el.name] || el.name;
        if (el.type === "checkbox") data[name] = el.checked;
        else data[name] = el.value.trim() === "" ? null : el.value;
      });
      if (studentId) data.id = studentId;
      return data;
    }

    function slot(field) {
      var box = form.querySelector('[data-field="' + field + '"]');
      return box ? { box: box, live: box.querySelector(".live"), input: box.querySelector("input,select") } : null;
    }

    // Mirrors the simplest rule at once, before the server answers: 16 digits.
    function digitsHint(field) {
      var s = slot(field);
      if (!s || !s.input) return null;
      var v = s.input.value.replace(/\s/g, "");
      if (!v || v.length === 16 || !/^\d+$/.test(v)) return null;
      return form.getAttribute("data-msg-digits").replace("{n}", v.length);
    }

    function show(result) {
      ["name", "nik", "kk", "gender", "birth_place", "birth_date", "class", "nisn", "nipd",
       "kelurahan_code", "consent"].forEach(function (field) {
        var s = slot(field);
        if (!s || !s.live) return;
        s.live.textContent = "";
        var errors = touched[field] ? (result.errors[field] || []) : [];
        var warnings = touched[field] ? (result.warnings[field] || []) : [];
        errors.forEach(function (m) { s.live.appendChild(para("error", m)); });
        warnings.forEach(function (m) { s.live.appendChild(para("warning", "\u26a0 " + m)); });
        if ((field === "nik" || field === "kk") && !errors.length) {
          var hint = touched[field] && digitsHint(field);
          if (hint) s.live.appendChild(para("count", hint));
        }
        if (field === "birth_date" && touched[field] && result.eligibility && !errors.length) {
          s.live.appendChild(para("ok", result.eligibility.label));
        }
        s.box.classList.toggle("has-error", errors.length > 0);
        if (s.input) s.input.setAttribute("aria-invalid", errors.length ? "true" : "false");
      });
    }

    function check() {
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
                   "Accept-Language": document.documentElement.lang || "id" },
        body: JSON.stringify(payload()),
        credentials: "same-origin",
        signal: pending ? pending.signal : undefined
      }).then(function (r) {
        if (r.status === 422) return r.json().then(function (b) { return { errors: b.errors || {}, warnings: {} }; });
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(show).catch(function (e) {
        if (e && e.name === "AbortError") return;
        var s = slot("name");
        if (s && s.live && !s.live.textContent) s.live.appendChild(para("hint", form.getAttribute("data-msg-offline")));
      });
    }

    var later = debounce(check, 450);
    form.addEventListener("input", function (e) {
      if (!e.target.name) return;
      touched[API_NAMES[e.target.name] || e.target.name] = true;
      later();
    });
    form.addEventListener("change", function (e) {
      if (!e.target.name) return;
      touched[API_NAMES[e.target.name] || e.target.name] = true;
      check();
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) setTimeout(function () { button.disabled = true; }, 0);
    });
  }

  function filterList(input) {
    var list = document.querySelector(input.getAttribute("data-filter"));
    if (!list) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(list.children, function (li) {
        var text = li.getAttribute("data-search");
        if (text === null) return;
        li.hidden = q !== "" && text.indexOf(q) === -1;
      });
    });
  }

  function uploadLimit(form) {
    var input = form.querySelector("input[type=file]");
    var live = form.querySelector(".live");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!input || !live || !max) return;
    function tooBig() { return input.files && input.files[0] && input.files[0].size > max; }
    input.addEventListener("change", function () {
      live.textContent = "";
      if (tooBig()) live.appendChild(para("error", form.getAttribute("data-msg-too-large")));
    });
    form.addEventListener("submit", function (e) { if (tooBig()) e.preventDefault(); });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (!target) return;
        target.select();
        var done = function () { button.textContent = button.getAttribute("data-done"); };
        if (navigator.clipboard) navigator.clipboard.writeText(target.value).then(done, function () { document.execCommand("copy"); done(); });
        else { document.execCommand("copy"); done(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("student-form");
    if (form) studentForm(form);
    document.querySelectorAll("input[data-filter]").forEach(filterList);
    document.querySelectorAll("form[data-max-bytes]").forEach(uploadLimit);
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) { if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
    });
    copyButtons();
  });
})();
