// The queue (Antrean: desks, "Panggil berikutnya", skip, recall), the recording desk (Meja:
// this phone's desk, its current student, Berhasil / Gagal / IKD) and the student detail page.

import { getMeta, setMeta } from "./db.js";
import { t } from "./i18n.js";
import { CALL_LOST_REASON, SKIP_REASON, callSpec, myLostCalls, nextWaiting } from "./queue.js";
import { actionsPanel, schoolOf, studentCard, studentOf } from "./student.js";
import { authed } from "./api.js";
import { dialog, h, toast } from "./ui.js";

const nameOf = (ctx, sid) => (studentOf(ctx, sid) || {}).name || sid;

/**
 * "Panggil berikutnya". Online, a sync round trip first, so a call another desk made a moment ago
 * through the server is known before this desk picks; the call goes out at once after. Offline,
 * linked phones and the call arbitration keep two desks apart (docs/phone-link.md).
 */
export async function callNext(ctx, station) {
  if (ctx.pull && (await ctx.pull())) ctx = await ctx.fresh();
  const next = nextWaiting(ctx.queue);
  if (!next) {
    toast(t("queue_empty"), "info");
    return null;
  }
  await ctx.act([callSpec(ctx.queue, next.student_id, station)], t("called_toast", { ticket: next.ticket, station }));
  if (ctx.pull) ctx.pull();
  return next;
}

/**
 * This phone's calls that lost to another desk's earlier call (docs/phone-link.md): annul them
 * and tell the officer at once; "Panggil berikutnya" stays on screen for the next student.
 */
export async function settleLostCalls(ctx) {
  if (!ctx.data || !ctx.device) return false;
  const lost = myLostCalls(ctx.queue, ctx.device.device_id);
  if (!lost.length) return false;
  const tickets = lost.map((ev) => (ctx.data.folded.students[ev.student_id] || {}).ticket || "-").join(", ");
  const specs = lost.map((ev) => ({ type: "undo", target: ev.id, reason: CALL_LOST_REASON }));
  // The desk pressed "Panggil berikutnya": it gets the next waiting student instead.
  const next = nextWaiting(ctx.queue);
  const station = lost[lost.length - 1].station;
  const free = !ctx.queue.desks[station - 1] || !ctx.queue.desks[station - 1].current;
  if (next && free) specs.push(callSpec(ctx.queue, next.student_id, station));
  await ctx.act(specs, null);
  toast(t(next && free ? "call_lost_next_toast" : "call_lost_toast", { ticket: tickets, next: next ? next.ticket : "" }), "error");
  return true;
}

const recall = (ctx, sid, station) => ctx.act([callSpec(ctx.queue, sid, station)], t("recalled", { station }));
const skip = (ctx, callId) => ctx.act([{ type: "undo", target: callId, reason: SKIP_REASON }], t("skipped_toast"));

function deskBlock(ctx, desk) {
  const cur = desk.current;
  return h("li", { class: "desk", "data-station": desk.station },
    h("div", { class: "desk-head" }, h("strong", {}, t("desk_n", { n: desk.station })),
      cur ? h("span", { class: "ticket-sm" }, cur.ticket || "-") : h("span", { class: "muted" }, t("desk_free"))),
    cur ? h("p", {}, h("a", { class: "tap", href: `#/v/${ctx.vid}/student/${encodeURIComponent(cur.student_id)}` }, nameOf(ctx, cur.student_id))) : null,
    desk.others.length ? h("p", { class: "muted" }, t("also_called", { tickets: desk.others.map((o) => o.ticket).join(", ") })) : null,
    h("div", { class: "actions" },
      h("button", { class: "primary call-next", onclick: () => callNext(ctx, desk.station) }, t("call_next")),
      cur ? h("button", { onclick: () => recall(ctx, cur.student_id, desk.station) }, t("recall")) : null,
      cur ? h("button", { onclick: () => skip(ctx, cur.call_id) }, t("skip")) : null));
}

function renderQueue(ctx) {
  const q = ctx.queue;
  return h("section", { class: "queue" },
    h("h1", {}, t("queue_title")),
    h("p", { class: "muted" }, t("queue_counts", { waiting: q.waiting.length, skipped: q.skipped.length })),
    h("ul", { class: "list desks" }, q.desks.map((d) => deskBlock(ctx, d))),
    h("h2", {}, t("waiting_title", { n: q.waiting.length })),
    h("ol", { class: "list waiting" }, q.waiting.length ? q.waiting.map((w) => h("li", { "data-student": w.student_id },
      h("span", { class: "ticket-sm" }, w.ticket), h("a", { href: `#/v/${ctx.vid}/student/${encodeURIComponent(w.student_id)}` }, nameOf(ctx, w.student_id))))
      : h("li", { class: "muted" }, t("queue_empty"))),
    q.skipped.length ? h("h2", {}, t("skipped_title", { n: q.skipped.length })) : null,
    q.skipped.length ? h("ul", { class: "list skipped" }, q.skipped.map((s) => h("li", {},
      h("span", { class: "ticket-sm" }, s.ticket || "-"), h("span", {}, nameOf(ctx, s.student_id)),
      h("div", { class: "actions" }, Array.from({ length: ctx.stations }, (_, i) => h("button", { onclick: () => recall(ctx, s.student_id, i + 1) }, t("call_to", { n: i + 1 }))))))) : null,
    h("p", { class: "actions" }, h("a", { class: "button", href: `/app/antrean?visit=${encodeURIComponent(ctx.vid)}`, target: "_blank", rel: "noopener" }, t("open_display")),
      h("button", { id: "tv-code-button", onclick: () => showTvCode(ctx) }, t("tv_code_button"))));
}

/** A short code for a TV with no account (docs/phone-link.md, "The TV display"); needs the server. */
async function showTvCode(ctx) {
  const res = await authed("POST", `/api/v1/visits/${encodeURIComponent(ctx.vid)}/display-code`);
  if (res.status !== 201 || !res.body) {
    toast(res.status === 0 ? t("tv_code_offline") : (res.body && res.body.message) || String(res.status), "error");
    return;
  }
  const code = res.body.code;
  await dialog({ title: t("tv_code_title"), confirmText: t("ok"), cancelText: null,
    body: [h("p", { class: "tv-code-shown", "data-code": code }, `${code.slice(0, 3)} ${code.slice(3)}`),
      h("p", {}, t("tv_code_body", { min: Math.floor(res.body.expires_in / 60) }))] });
}

async function renderDesk(ctx) {
  let mine = Number(await getMeta(`desk:${ctx.vid}`)) || 1;
  if (mine > ctx.stations) mine = 1;
  const desk = ctx.queue.desks[mine - 1];
  const cur = desk.current;
  const last = desk.lastCall && ctx.queue.byStudent.get(desk.lastCall.student_id);
  // The last call here, unless that student has since been called to another desk.
  const shown = cur || (last && last.status !== "called" ? desk.lastCall : null);
  const picker = h("div", { class: "segmented", role: "group", "aria-label": t("my_desk") },
    ctx.queue.desks.map((d) => h("button", { class: d.station === mine ? "active" : "", "aria-pressed": String(d.station === mine),
      onclick: async () => {
        await setMeta(`desk:${ctx.vid}`, d.station).catch(() => null); // a preference: a full disk may refuse it
        ctx.refresh();
      } }, t("desk_n", { n: d.station }))));
  const calls = h("div", { class: "actions desk-calls" },
    h("button", { class: "primary call-next", onclick: () => callNext(ctx, mine) }, t("call_next")),
    cur ? h("button", { onclick: () => recall(ctx, cur.student_id, mine) }, t("recall")) : null,
    cur ? h("button", { onclick: () => skip(ctx, cur.call_id) }, t("skip")) : null);
  // The next action sits above the card: after "Berhasil" it is on screen without a scroll.
  return h("section", { class: "desk-screen" },
    h("h1", {}, t("desk_title", { n: mine })), picker, calls,
    h("p", { class: "muted" }, t("queue_counts", { waiting: ctx.queue.waiting.length, skipped: ctx.queue.skipped.length })),
    // After an outcome the desk keeps its last student on screen (IKD, a note, an undo) until
    // the next call.
    shown ? [studentCard(ctx, shown.student_id, { headline: t(cur ? "now_at_desk" : "last_at_desk", { n: mine }), kind: cur ? "info" : "ok", compact: true }),
      actionsPanel(ctx, shown.student_id)]
      : h("p", { class: "card muted" }, t("desk_nobody")));
}

function renderStudent(ctx, params) {
  const sid = params.id;
  const s = studentOf(ctx, sid);
  if (!s) return h("p", { class: "card" }, t("student_unknown"));
  const canonical = ctx.data.folded.aliases && ctx.data.folded.aliases[sid] ? ctx.data.folded.aliases[sid] : sid;
  return h("section", { class: "student" },
    h("h1", { class: "sr-only" }, `${s.name} · ${schoolOf(ctx.data.roster.visit)}`),
    h("p", {}, h("a", { class: "tap", href: `#/v/${ctx.vid}/checkin` }, t("back"))),
    studentCard(ctx, canonical, { kind: "info" }),
    h("div", { class: "actions" }, Array.from({ length: ctx.stations }, (_, i) =>
      h("button", { onclick: () => recall(ctx, canonical, i + 1) }, t("call_to", { n: i + 1 })))),
    actionsPanel(ctx, canonical),
    h("p", { class: "muted small" }, schoolOf(ctx.data.roster.visit)));
}

export const queue = { render: renderQueue };
export const desk = { render: renderDesk };
export const student = { render: renderStudent };
