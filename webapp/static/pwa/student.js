// One student on screen: the big result card, warnings, and the desk actions (outcome, IKD,
// note, undo). Every action is an event appended through ctx.act(); the fold does the rest.

import { alreadyRecorded, describeDesk, printPanel } from "./deskprint.js";
import { eligibility as computeEligibility } from "./nik.js";
import { getLang, t } from "./i18n.js";
import { nisnEnding } from "./lookup.js";
import { dialog, field, fmtDate, fmtTime, h, maskNik } from "./ui.js";

/** One line under a name in search results: class, NISN ending, birth date (two students of one
 * name differ in at least one of them). */
export function telling(s) {
  const parts = [s.class || s.class_ || "-"];
  const ending = nisnEnding(s.nisn);
  if (ending) parts.push(t("nisn_ending", { digits: ending }));
  if (s.birth_date) parts.push(t("born", { date: fmtBirth(s.birth_date) }));
  return parts.join(" · ");
}

function fmtBirth(ymd) {
  const d = new Date(`${String(ymd).slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(ymd) : d.toLocaleDateString(getLang() === "en" ? "en-GB" : "id-ID", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export const IKD_REASONS = ["no_phone", "no_email", "face_mismatch", "no_signal", "other"];

/** The student record (roster row or walk-in), following a walk-in alias to its student. */
export function studentOf(ctx, sid) {
  const folded = ctx.data.folded;
  const id = folded.aliases && folded.aliases[sid] ? folded.aliases[sid] : sid;
  const row = ctx.byId.get(id);
  if (row) return row;
  // Typed here (until synced) or received masked: show the NIK masked either way.
  const w = ctx.data.walkins.get(id) || (folded.walkins && folded.walkins[id]);
  return w && (folded.walkins || {})[id] ? { ...w, walkin: true, nik_masked: w.nik_masked || maskNik(w.nik) } : null;
}

/** The school's name of a visit (the API may give a string or an object). */
export function schoolOf(visit) {
  if (!visit) return "";
  if (typeof visit.school === "string") return visit.school;
  return (visit.school && visit.school.name) || visit.school_name || "";
}

/** A student's folded state; a walk-in merged into another student (same NIK) reads that one's. */
export function stateOf(ctx, sid) {
  const folded = ctx.data.folded;
  const id = folded.aliases && folded.aliases[sid] ? folded.aliases[sid] : sid;
  return folded.students[id] || null;
}

/** under_age / record_only / record_and_print: the roster's word, else computed offline. */
export function eligibilityOf(ctx, student) {
  const e = student.eligibility;
  if (typeof e === "string") return { status: e, eligible_on: student.eligible_on || null };
  if (e && typeof e === "object" && (e.status || e.code)) return { ...e, status: e.status || e.code };
  const visit = ctx.data.roster.visit;
  if (!student.birth_date || !visit.date) return { status: "unknown" };
  return computeEligibility(student.birth_date, String(visit.date).slice(0, 10), {
    minRecordAge: visit.min_record_age || 16, minCardAge: visit.min_card_age || 17, married: Boolean(student.married),
  });
}

export function reasonLabel(ctx, code) {
  const r = (ctx.data.roster.visit.failure_reasons || []).find((x) => x.code === code);
  return r ? r.label : code || "";
}

/** Devices whose live "recorded" outcome counts for this student (aliases included). */
export function recordedBy(ctx, sid) {
  const folded = ctx.data.folded;
  const canon = (id) => (folded.aliases && folded.aliases[id]) || id;
  const undone = new Set(ctx.data.events.filter((ev) => ev.type === "undo").map((ev) => ev.target));
  return ctx.data.events.filter((ev) => ev.type === "outcome" && ev.result === "recorded" && !undone.has(ev.id)
    && canon(ev.student_id) === sid).map((ev) => ev.device_id);
}

/** docs/consent.md: registered with consent, or recorded at the gate (a withdrawal there wins). */
export function consentOnRecord(student, state) {
  if (state && state.consent !== null && state.consent !== undefined) return state.consent === true;
  return student.consent !== false;
}

/** Warnings for the card, most serious first: [{level: "danger"|"warn"|"info", text}]. */
export function warningsFor(ctx, sid, { justCheckedIn = false } = {}) {
  const st = stateOf(ctx, sid);
  const s = studentOf(ctx, sid);
  const out = [];
  if (!st || !s) return out;
  if (st.outcome === "recorded") {
    // The red alarm is for a recording made elsewhere; this phone's own "Berhasil" is no alarm.
    const others = recordedBy(ctx, sid).filter((d) => d !== ctx.device.device_id);
    out.push(others.length ? { level: "danger", text: t("warn_recorded") } : { level: "info", text: t("info_recorded_here") });
  }
  const el = eligibilityOf(ctx, s);
  if (el.status === "under_age") out.push({ level: "danger", text: el.eligible_on ? t("warn_under_age_on", { date: fmtDate(el.eligible_on) }) : t("warn_under_age") });
  for (const code of st.conflicts || []) out.push({ level: "danger", text: t(`conflict_${code}`) });
  if (st.outcome === "failed") out.push({ level: "warn", text: t("warn_failed_before", { reason: reasonLabel(ctx, st.reason) }) });
  if (!consentOnRecord(s, st)) out.push({ level: "warn", text: t("warn_no_consent") });
  if (!justCheckedIn && st.attendance === "present" && st.checked_in_at) {
    out.push({ level: "info", text: t("info_already_in", { time: fmtTime(st.checked_in_at) }) });
  }
  return out;
}

export function eligibilityBadge(ctx, s) {
  const status = eligibilityOf(ctx, s).status;
  const cls = { under_age: "badge bad", record_only: "badge warn", record_and_print: "badge ok" }[status] || "badge";
  return h("span", { class: cls }, t(`elig_${status}`));
}

export function stateBadges(ctx, sid) {
  const st = stateOf(ctx, sid);
  if (!st) return [];
  const out = [h("span", { class: st.attendance === "present" ? "badge ok" : "badge" }, t(`att_${st.attendance}`))];
  const outcomeClass = { recorded: "badge ok", already_recorded: "badge warn" }[st.outcome] || "badge bad";
  if (st.outcome) out.push(h("span", { class: outcomeClass }, t(`out_${st.outcome}`)));
  if (st.print) out.push(h("span", { class: st.print === "printed" ? "badge ok" : "badge warn" }, t(`print_${st.print}`)));
  if (st.ikd) out.push(h("span", { class: "badge" }, t(`ikd_${st.ikd}`)));
  return out;
}

/** The large result card of a scan or a search pick. */
export function studentCard(ctx, sid, { headline = null, kind = "ok", justCheckedIn = false, compact = false } = {}) {
  const s = studentOf(ctx, sid);
  const st = stateOf(ctx, sid);
  if (!s || !st) return h("div", { class: "result result-error" }, t("student_unknown"));
  const warnings = warningsFor(ctx, sid, { justCheckedIn }).filter((w) => !compact || w.level !== "info");
  return h("section", { class: `result result-${kind}`, "aria-live": "assertive", "data-student": sid },
    headline ? h("p", { class: "result-head" }, headline) : null,
    h("h2", { class: "result-name" }, s.name),
    h("p", { class: "muted" }, [s.class, s.gender, s.nik_masked].filter(Boolean).join(" · ")),
    h("p", { class: "badges" }, eligibilityBadge(ctx, s), stateBadges(ctx, sid)),
    compact ? h("p", {}, `${t("ticket_label")}: `, h("strong", { class: "ticket-sm" }, st.ticket || "-"))
      : st.ticket ? h("p", { class: "ticket", "aria-label": t("ticket_label") }, h("small", {}, t("ticket_label")), st.ticket) : h("p", { class: "muted" }, t("no_ticket")),
    st.station && !compact ? h("p", {}, t("called_to", { station: st.station })) : null,
    warnings.length ? h("ul", { class: "warnings" }, warnings.map((w) => h("li", { class: `w-${w.level}` }, w.text))) : null);
}

async function outcomeFailed(ctx, sid) {
  const reasons = ctx.data.roster.visit.failure_reasons || [];
  const select = h("select", { required: true }, h("option", { value: "" }, t("choose")),
    reasons.map((r) => h("option", { value: r.code }, r.label)));
  const note = h("textarea", { rows: 2, maxlength: 500 });
  const res = await dialog({
    title: t("fail_title"), confirmText: t("save_failed"), danger: true,
    body: [field(t("fail_reason"), select), field(t("note_optional"), note, { hint: t("note_other_hint") })],
    validate: () => (!select.value ? t("fail_reason_required") : select.value === "lainnya" && !note.value.trim() ? t("note_required_other") : null),
    collect: () => ({ reason: select.value, note: note.value.trim() }),
  });
  if (!res) return;
  const specs = [{ type: "outcome", student_id: sid, result: "failed", reason: res.reason }];
  if (res.note) specs.push({ type: "note", student_id: sid, text: res.note });
  await ctx.act(specs, t("saved_failed"));
}

async function outcomeRecorded(ctx, sid) {
  const specs = [{ type: "outcome", student_id: sid, result: "recorded" }];
  if (stateOf(ctx, sid).outcome === "recorded") {
    // A second recording makes a DUPLICATE_RECORD: refuse unless the officer overrides with a reason.
    const area = h("textarea", { rows: 2, maxlength: 500, id: "override-reason" });
    const reason = await dialog({ title: t("already_recorded_title"), danger: true, confirmText: t("record_anyway"),
      cancelText: t("dont_record"),
      body: [h("p", { class: "w-danger alarm", role: "alert" }, t("already_recorded_body")), field(t("override_reason"), area)],
      validate: () => (area.value.trim() ? null : t("override_reason_required")), collect: () => area.value.trim() });
    if (!reason) return;
    specs.unshift({ type: "note", student_id: sid, text: t("override_note", { reason }) });
  }
  await ctx.act(specs, t("saved_recorded"));
}

async function ikd(ctx, sid, status) {
  let reason = null;
  if (status === "failed") {
    const select = h("select", { required: true }, h("option", { value: "" }, t("choose")),
      IKD_REASONS.map((r) => h("option", { value: r }, t(`ikdr_${r}`))));
    const res = await dialog({ title: t("ikd_failed_title"), confirmText: t("save"), body: [field(t("fail_reason"), select)],
      validate: () => (select.value ? null : t("fail_reason_required")), collect: () => select.value });
    if (!res) return;
    reason = res;
  }
  await ctx.act([{ type: "ikd", student_id: sid, status, reason }], t("saved"));
}

async function addNote(ctx, sid) {
  const area = h("textarea", { rows: 3, maxlength: 2000 });
  const text = await dialog({ title: t("note_title"), confirmText: t("save"), body: [field(t("note_label"), area)],
    validate: () => (area.value.trim() ? null : t("note_required")), collect: () => area.value.trim() });
  if (text) await ctx.act([{ type: "note", student_id: sid, text }], t("saved"));
}

async function undo(ctx, ev) {
  const area = h("textarea", { rows: 2, maxlength: 500 });
  const reason = await dialog({ title: t("undo_title"), confirmText: t("undo_confirm"), cancelText: t("undo_keep"), danger: true,
    body: [h("p", {}, describe(ctx, ev)), field(t("undo_reason"), area)],
    validate: () => (area.value.trim() ? null : t("undo_reason_required")), collect: () => area.value.trim() });
  if (reason) await ctx.act([{ type: "undo", target: ev.id, reason }], t("undone"));
}

/** "Check-in · 08:12 · HP B" */
export function describe(ctx, ev) {
  let what = describeDesk(ev) || t(`ev_${ev.type}`);
  if (ev.type === "enqueue") what += ` ${ev.ticket}`;
  if (ev.type === "call") what += ` ${t("desk_n", { n: ev.station })}`;
  if (ev.type === "outcome") what = ev.result === "failed" ? `${t("out_failed")}: ${reasonLabel(ctx, ev.reason)}` : t(`out_${ev.result}`);
  if (ev.type === "ikd") what += `: ${t(`ikd_${ev.status}`)}${ev.reason ? ` (${t(`ikdr_${ev.reason}`)})` : ""}`;
  if (ev.type === "note") what += `: ${ev.text}`;
  if (ev.type === "consent" && !ev.given) what += ` ✗`;
  if (ev.type === "undo") what += `: ${ev.reason === "skip" ? t("skipped") : ev.reason || ""}`;
  const mine = ev.device_id === ctx.device.device_id;
  return `${what} · ${fmtTime(ev.at)} · ${mine ? t("this_phone") : ev.device_id}`;
}

/** Outcome, IKD, note and history-with-undo of one student. */
export function actionsPanel(ctx, sid) {
  const st = stateOf(ctx, sid);
  const undone = new Map();
  for (const ev of ctx.data.events) if (ev.type === "undo") undone.set(ev.target, ev);
  const mineAndAlias = new Set([sid, ...Object.keys(ctx.data.folded.aliases || {}).filter((a) => ctx.data.folded.aliases[a] === sid)]);
  const history = ctx.data.events.filter((ev) => mineAndAlias.has(ev.student_id) || (ev.type === "walkin" && ev.student && mineAndAlias.has(ev.student.id)));
  history.sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
  return h("div", { class: "panel" },
    h("h3", {}, t("recording")),
    h("div", { class: "actions big" },
      h("button", { class: "primary", onclick: () => outcomeRecorded(ctx, sid) }, t("btn_recorded")),
      h("button", { class: "danger", onclick: () => outcomeFailed(ctx, sid) }, t("btn_failed")),
      h("button", { class: "already", onclick: () => alreadyRecorded(ctx, sid) }, t("btn_already_recorded"))),
    printPanel(ctx, sid, eligibilityOf(ctx, studentOf(ctx, sid) || {}).status, st),
    h("h3", {}, t("ikd_title"), st.ikd ? h("span", { class: "badge" }, t(`ikd_${st.ikd}`)) : null),
    h("div", { class: "actions" },
      ["scanned", "active", "failed"].map((s) => h("button", { onclick: () => ikd(ctx, sid, s) }, t(`btn_ikd_${s}`)))),
    h("h3", {}, t("notes")),
    (st.notes || []).length ? h("ul", { class: "plain" }, st.notes.map((n) => h("li", {}, `${n.text} · ${fmtTime(n.at)}`))) : null,
    h("button", { onclick: () => addNote(ctx, sid) }, t("add_note")),
    h("details", { class: "history" }, h("summary", {}, t("history", { n: history.length })),
      h("ul", { class: "plain" }, history.map((ev) => {
        const u = undone.get(ev.id);
        return h("li", { class: u ? "undone" : "" }, h("span", {}, describe(ctx, ev)),
          u ? h("small", {}, ` ${t("undone_by", { reason: u.reason === "skip" ? t("skipped") : u.reason })}`)
            : ev.type !== "undo" ? h("button", { class: "small", onclick: () => undo(ctx, ev) }, t("undo")) : null);
      }))));
}
