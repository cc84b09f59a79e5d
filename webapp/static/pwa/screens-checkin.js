// Check-in at the gate: scan a slip (or search by name / NISN), see a large result card with
// the queue ticket; and walk-in registration validated like pre-registration.

import { AUTO_TICKET } from "./db.js";
import { t } from "./i18n.js";
import { matchQr, normalise, qrIndex, search } from "./lookup.js";
import { validateWalkin } from "./nik.js";
import { nikTag, sameNik } from "./niktag.js";
import { Scanner, beep, buzz, unlockAudio } from "./scanner.js";
import { alreadyRecorded } from "./deskprint.js";
import { consentOnRecord, telling, eligibilityBadge, eligibilityOf, schoolOf, stateBadges, stateOf, studentCard, studentOf, warningsFor } from "./student.js";
import { field, h, maskNik, mount } from "./ui.js";

let scanner = null;
let last = null; // {sid, kind, headline, justCheckedIn, preview} or {error}
let els = null;
let ctxNow = null;

function allStudents(ctx) {
  const walkins = Object.keys(ctx.data.folded.walkins || {}).map((id) => ({ ...ctx.data.walkins.get(id), walkin: true }));
  return [...ctx.data.roster.students, ...walkins];
}

/** Check a student in: a checkin event (first time) plus a ticket when they may be recorded. */
export async function checkIn(ctx, sid, source = "scan") {
  const st = stateOf(ctx, sid);
  const s = studentOf(ctx, sid);
  const specs = [];
  const repeat = st.attendance === "present";
  if (!repeat) specs.push({ type: "checkin", student_id: sid });
  const eligible = eligibilityOf(ctx, s).status !== "under_age";
  if (eligible && st.ticket === null && st.outcome !== "recorded") specs.push({ type: "enqueue", student_id: sid, ticket: AUTO_TICKET });
  const serious = warningsFor(ctx, sid, { justCheckedIn: true }).some((w) => w.level === "danger");
  const kind = serious ? "error" : repeat ? "warn" : "ok";
  last = { sid, kind, headline: repeat ? t("already_checked_in") : t("checked_in"), justCheckedIn: !repeat, source };
  if (source === "scan") {
    beep(kind);
    buzz(kind);
  }
  if (specs.length) await ctx.act(specs);
  else renderResult(ctx);
  if (els) els.result.scrollIntoView({ block: "nearest" });
}

function renderResult(ctx) {
  if (!els) return;
  if (!last) return mount(els.result);
  if (last.error) {
    return mount(els.result, h("section", { class: "result result-error", role: "alert" },
      h("h2", { class: "result-name" }, last.error), h("p", {}, t("qr_foreign_hint"))));
  }
  const sid = last.sid;
  const st = stateOf(ctx, sid);
  if (!st) return mount(els.result);
  const actions = h("div", { class: "actions" });
  if (last.preview) {
    actions.append(h("button", { class: "primary", onclick: () => checkIn(ctxNow, sid, "manual") }, t("btn_checkin")));
  } else if (!st.ticket && st.outcome !== "recorded" && eligibilityOf(ctx, studentOf(ctx, sid)).status !== "under_age") {
    // Under age on the visit date: the card says from when; no queue ticket to offer.
    actions.append(h("button", { onclick: () => ctxNow.act([{ type: "enqueue", student_id: sid, ticket: AUTO_TICKET }], t("ticket_given")) }, t("give_ticket")));
  }
  if (!consentOnRecord(studentOf(ctx, sid), st)) {
    // No slip was printed without consent: the officer records it here, then goes on.
    actions.prepend(h("button", { class: "primary", id: "record-consent", onclick: () => ctxNow.act([{ type: "consent", student_id: sid, given: true }], t("consent_recorded")) }, t("btn_consent")));
  }
  if (!last.preview && !st.outcome) {
    // "Sudah punya KTP-el" is said at the gate too: no queue for a student who holds one (docs/desk.md).
    actions.append(h("button", { class: "already", onclick: () => alreadyRecorded(ctxNow, sid) }, t("btn_already_recorded")));
  }
  actions.append(h("a", { class: "button", href: `#/v/${ctx.vid}/student/${encodeURIComponent(sid)}` }, t("details")));
  mount(els.result, studentCard(ctx, sid, { headline: last.preview ? t("preview") : last.headline, kind: last.preview ? "info" : last.kind, justCheckedIn: last.justCheckedIn }), actions);
  actions.style.marginBottom = "14px";
}

function renderSearch(ctx) {
  if (!els) return;
  const q = els.query.value;
  const found = search(allStudents(ctx), q, 15);
  const items = found.map((s) => h("li", {},
    h("button", { class: "pick", onclick: () => {
      last = { sid: s.id, preview: true };
      renderResult(ctxNow);
      els.result.scrollIntoView({ block: "start" });
    } }, h("strong", {}, s.name), h("span", { class: "muted telling" }, telling(s))),
    eligibilityBadge(ctx, s), stateBadges(ctx, s.id)));
  mount(els.results, q.trim() && !items.length ? h("li", { class: "muted" }, t("no_match")) : items);
}

/** A slip read by the camera (tests and the benchmark hand one in the same way). */
export function onScan(text) {
  if (!ctxNow || !els) return null;
  const s = matchQr(text, qrIndex(ctxNow.data.roster.students));
  if (!s) {
    last = { error: t("qr_foreign") };
    beep("error");
    buzz("error");
    renderResult(ctxNow);
    els.result.scrollIntoView({ block: "nearest" });
    return null;
  }
  return checkIn(ctxNow, s.id, "scan");
}

async function toggleScan(_ctx) {
  unlockAudio();
  if (scanner && scanner.active) {
    scanner.stop();
    els.finder.classList.add("idle");
    els.toggle.textContent = t("scan_start");
    els.torch.hidden = true;
    return;
  }
  scanner = new Scanner(els.video, onScan);
  els.finder.classList.remove("idle");
  try {
    await scanner.start();
    els.toggle.textContent = t("scan_stop");
    els.torch.hidden = !scanner.torchSupported;
    els.engine.textContent = scanner.engine === "native" ? t("engine_native") : t("engine_js");
  } catch (e) {
    els.finder.classList.add("idle");
    els.engine.textContent = t("camera_error", { error: e && e.name ? e.name : String(e) });
  }
}

async function renderCheckin(ctx) {
  ctxNow = ctx;
  const video = h("video", { muted: true, playsinline: true, "aria-label": t("camera") });
  const toggle = h("button", { class: "primary", id: "scan-toggle", onclick: () => toggleScan(ctx) }, t("scan_start"));
  const torch = h("button", { id: "torch", hidden: true, "aria-pressed": "false", onclick: async () => {
    const on = !(scanner && scanner.torch);
    if (scanner && (await scanner.setTorch(on))) torch.setAttribute("aria-pressed", String(on));
  } }, t("torch"));
  const query = h("input", { type: "search", id: "search", autocomplete: "off", enterkeyhint: "search" });
  query.addEventListener("input", () => renderSearch(ctxNow));
  const finder = h("div", { class: "viewfinder idle" }, video, h("div", { class: "frame", "aria-hidden": "true" }));
  els = { video, finder, toggle, torch, query, result: h("div", { id: "result" }), results: h("ul", { class: "list results" }), engine: h("small", { class: "hint" }) };
  const page = h("section", { class: "checkin" },
    h("h1", { class: "sr-only" }, `${t("tab_checkin")} · ${schoolOf(ctx.data.roster.visit)}`),
    finder,
    h("div", { class: "actions scan-actions" }, toggle, torch, els.engine),
    els.result,
    field(t("search_label"), query, { hint: t("search_hint") }), els.results,
    h("p", {}, h("a", { class: "button wide", href: `#/v/${ctx.vid}/walkin` }, t("walkin_link"))));
  renderResult(ctx);
  return page;
}

export const checkin = {
  render: renderCheckin,
  update(ctx) {
    ctxNow = ctx;
    renderResult(ctx);
    renderSearch(ctx);
  },
  leave() {
    if (scanner) scanner.stop();
    scanner = null;
    els = null;
  },
};

const WALKIN_FIELDS = ["name", "nik", "kk", "nisn", "gender", "birth_place", "birth_date", "class"];

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function issueText(iss) {
  return t(`id_${iss.code}`, iss.params);
}

async function renderWalkin(ctx, params, values = {}, errors = {}, warnings = [], confirmed = false) {
  const controls = {
    name: h("input", { name: "name", value: values.name || "", autocomplete: "off" }),
    nik: h("input", { name: "nik", value: values.nik || "", inputmode: "numeric", maxlength: 16 }),
    kk: h("input", { name: "kk", value: values.kk || "", inputmode: "numeric", maxlength: 16 }),
    nisn: h("input", { name: "nisn", value: values.nisn || "", inputmode: "numeric", maxlength: 10 }),
    gender: h("select", { name: "gender" }, h("option", { value: "" }, t("choose")),
      h("option", { value: "L", selected: values.gender === "L" }, t("gender_L")), h("option", { value: "P", selected: values.gender === "P" }, t("gender_P"))),
    birth_place: h("input", { name: "birth_place", value: values.birth_place || "" }),
    birth_date: h("input", { name: "birth_date", type: "date", value: values.birth_date || "" }),
    class: h("input", { name: "class", value: values.class || "" }),
  };
  const consent = h("input", { type: "checkbox", name: "consent", checked: Boolean(values.consent) });
  const err = (f) => (errors[f] ? errors[f].map(issueText).join(" ") : null);
  const form = h("form", { class: "card walkin", novalidate: true },
    h("h1", {}, t("walkin_title")), h("p", { class: "muted" }, t("walkin_intro")),
    Object.keys(errors).length ? h("p", { class: "error banner", role: "alert" }, t("form_has_errors")) : null,
    WALKIN_FIELDS.map((f) => field(t(`f_${f}`), controls[f], { error: err(f), hint: f === "nik" ? t("nik_hint") : null })),
    h("label", { class: "check field" }, consent, t("f_consent")),
    // The live region wraps the list: role="status" on the <ul> itself hides its list items (axe listitem).
    warnings.length ? h("div", { role: "status" }, h("ul", { class: "warnings" }, warnings.map((w) => h("li", { class: "w-warn" }, w)))) : null,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, warnings.length && !confirmed ? t("save_anyway") : t("walkin_save")),
      h("a", { class: "button", href: `#/v/${ctx.vid}/checkin` }, t("cancel"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = Object.fromEntries(WALKIN_FIELDS.map((f) => [f, controls[f].value.trim()]));
    v.consent = consent.checked;
    const check = validateWalkin(v, { cityCode: ctx.data.roster.visit.city_code });
    const warns = check.warnings.map(issueText);
    if (!v.consent) warns.push(t("warn_no_consent"));
    // Masked digits + 4-bit tag + birth date + gender: a walk-in of a registered student (or of
    // another walk-in) is caught here already, without the phone holding anyone's NIK.
    const tag = /^[0-9]{16}$/.test(v.nik) ? await nikTag(v.nik) : null;
    const same = tag && sameNik([...ctx.data.roster.students, ...ctx.data.walkins.values()], v.nik, tag)[0];
    const twin = same || ctx.data.roster.students.find((s) => s.nik_masked === maskNik(v.nik) && normalise(s.name) === normalise(v.name));
    if (same) warns.push(t("walkin_same_nik", { name: same.name, class: same.class || "-" }));
    else if (twin) warns.push(t("walkin_maybe_twin", { name: twin.name, class: twin.class || "-" }));
    const sameWarnings = JSON.stringify(warns) === JSON.stringify(warnings);
    if (Object.keys(check.errors).length || (warns.length && !(sameWarnings && warnings.length))) {
      mount(document.getElementById("view"), await renderWalkin(ctx, params, v, check.errors, warns, false));
      return;
    }
    const student = { id: uuid(), consent: v.consent };
    for (const f of WALKIN_FIELDS) if (v[f]) student[f] = v[f];
    const specs = [{ type: "walkin", student }, { type: "checkin", student_id: student.id }];
    const el = eligibilityOf(ctx, student).status;
    if (el !== "under_age") specs.push({ type: "enqueue", student_id: student.id, ticket: AUTO_TICKET });
    last = { sid: student.id, kind: el === "under_age" ? "error" : "ok", headline: t("walkin_saved"), justCheckedIn: true };
    await ctx.act(specs);
    ctx.go(`#/v/${ctx.vid}/checkin`);
  });
  return form;
}

export const walkin = { render: (ctx, params) => renderWalkin(ctx, params), update: () => {} };
