// Tiny DOM helpers: h() builds elements (text is always set as text, never as HTML), dialogs,
// toasts and time formatting. No framework: the shell must stay small for cheap phones.

import { getLang, t } from "./i18n.js";

/** h("button", {class: "primary", onclick}, "Simpan") -> element. Children may nest / be null. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "disabled" || key === "hidden" || key === "selected") el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the content of `el` with `nodes`. */
export function mount(el, ...nodes) {
  el.replaceChildren();
  append(el, nodes);
}

let toastTimer = null;
/** A short message at the bottom of the screen, announced to screen readers. */
export function toast(message, kind = "info") {
  let el = document.getElementById("toast");
  if (!el) {
    el = h("div", { id: "toast", class: "toast", role: "status", "aria-live": "polite" });
    // Over the title bar, never over the screen's buttons (Berhasil/Gagal, "Panggil
    // berikutnya"), nor over the sync status below the title.
    (document.querySelector(".pwa-top") || document.body).append(el);
  }
  el.className = `toast toast-${kind} show`;
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove("show"), 3500);
}

/**
 * A modal dialog. `fields` (optional) are built by the caller and read in `collect()`.
 * Resolves to collect()'s value (or true) on confirm, null on cancel.
 */
export function dialog({ title, body = [], confirmText = t("ok"), cancelText = t("cancel"), danger = false, collect = null, validate = null }) {
  return new Promise((resolve) => {
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const ok = h("button", { type: "submit", class: danger ? "danger" : "primary" }, confirmText);
    const form = h("form", { method: "dialog", class: "dialog-form" },
      h("h2", {}, title), body, err,
      h("div", { class: "actions" }, ok,
        cancelText === null ? null : h("button", { type: "button", class: "cancel", onclick: () => close(null) }, cancelText)));
    const dlg = h("dialog", { class: "dlg", "aria-label": title }, form);
    function close(value) {
      dlg.close();
      dlg.remove();
      resolve(value);
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const problem = validate ? validate() : null;
      if (problem) {
        err.textContent = problem;
        err.hidden = false;
        return;
      }
      close(collect ? collect() : true);
    });
    dlg.addEventListener("cancel", (e) => {
      e.preventDefault();
      close(null);
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** A labelled input block (label + control + hint), the same markup as the server forms. */
export function field(label, control, { hint = null, error = null } = {}) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  if (error) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", `${id}-err`);
  }
  return h("div", { class: error ? "field has-error" : "field" },
    h("label", { for: id }, label), control,
    hint ? h("small", { class: "hint" }, hint) : null,
    error ? h("p", { class: "error", id: `${id}-err` }, error) : null);
}

const locale = () => (getLang() === "en" ? "en-GB" : "id-ID");
// Visits are in Indonesia: times show in the agency's zone (the roster's `timezone`), never the
// phone's own setting. WIB unless told otherwise.
let zone = "Asia/Jakarta";

export const getTimeZone = () => zone;
/** Use `name` (an IANA zone the roster carries) if this browser knows it. */
export function setTimeZone(name) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    zone = name;
  } catch {
    // An unknown zone keeps the previous one.
  }
  return zone;
}

/** "14.05" style time of an ISO string in the visit's zone (or "-"). */
export function fmtTime(iso) {
  if (!iso) return "-";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "-" : d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", timeZone: zone });
}

/** "27 Nov 2026 14.05" of an ISO string in the visit's zone (or "-"). */
export function fmtDateTime(iso) {
  if (!iso) return "-";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "-" : d.toLocaleString(locale(), { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone });
}

/** "Jum, 27 Nov 2026" for a YYYY-MM-DD date (a calendar date: no zone shift). */
export function fmtDate(ymd) {
  if (!ymd) return "-";
  const d = new Date(`${String(ymd).slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(ymd) : d.toLocaleDateString(locale(), { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export { maskNik } from "./nik.js";
