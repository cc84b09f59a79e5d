// Sync screen: unsynced count, last sync, progress, "Sinkronkan sekarang", the rejected list
// ("ditolak": kept, never dropped) and conflicts, each with what to do; purge after sync.

import { countOutbox, deleteVisitData } from "./db.js";
import { t } from "./i18n.js";
import { describe, studentOf } from "./student.js";
import { fmtTime, h, toast } from "./ui.js";

function whatToDo(code, kind) {
  const key = `${kind}_todo_${code}`;
  const text = t(key);
  return text === key ? t(`${kind}_todo_default`) : text;
}

function studentName(ctx, sid) {
  const s = sid ? studentOf(ctx, sid) : null;
  return s ? s.name : sid || "-";
}

async function renderSync(ctx) {
  const recs = ctx.data.records;
  const pending = await countOutbox(ctx.vid);
  const rejected = recs.filter((r) => r.status === "rejected").sort((a, b) => a.seq - b.seq);
  const mine = recs.filter((r) => r.ev.device_id === ctx.device.device_id).length;
  const others = recs.filter((r) => r.status === "remote").length;
  const st = ctx.data.syncState || {};
  // Conflicts: the server's answer and the phone's own fold, one line per (code, student).
  const conflicts = new Map();
  for (const c of [...(st.conflicts || []), ...ctx.data.folded.conflicts]) conflicts.set(`${c.code}|${c.student_id}`, c);
  const err = st.last_error;
  return h("section", { class: "sync" },
    h("h1", {}, t("sync_title")),
    h("div", { class: "card stats" },
      h("p", {}, h("strong", { id: "sync-pending", "data-count": pending }, t("unsynced", { n: pending }))),
      h("p", {}, t("last_sync", { time: st.last_sync_at ? fmtTime(st.last_sync_at) : t("never") })),
      h("p", { class: "muted" }, t("sync_counts", { mine, others, rejected: rejected.length })),
      err ? h("p", { class: "error" }, `${t(`syncerr_${err.code}`)} ${err.message && err.message !== err.code ? `(${err.message})` : ""} · ${fmtTime(err.at)}`) : null,
      h("button", { class: "primary wide", onclick: () => ctx.sync() }, t("sync_now"))),
    h("h2", {}, t("rejected_title", { n: rejected.length })),
    rejected.length ? h("p", { class: "muted" }, t("rejected_intro")) : null,
    h("ul", { class: "list rejected" }, rejected.length ? rejected.map((r) => h("li", { "data-event": r.id },
      h("strong", {}, `${studentName(ctx, r.ev.student_id || (r.ev.student && r.ev.student.id))}: ${describe(ctx, r.ev)}`),
      h("span", { class: "badge bad" }, r.rejection.code),
      h("span", {}, r.rejection.message),
      h("span", { class: "todo" }, whatToDo(r.rejection.code, "rej")))) : h("li", { class: "muted" }, t("none"))),
    h("h2", {}, t("conflicts_title", { n: conflicts.size })),
    h("ul", { class: "list conflicts" }, conflicts.size ? [...conflicts.values()].map((c) => h("li", {},
      h("strong", {}, studentName(ctx, c.student_id)), h("span", { class: "badge bad" }, t(`conflict_${c.code}`)),
      h("span", { class: "todo" }, whatToDo(c.code, "conf")),
      h("a", { href: `#/v/${ctx.vid}/student/${encodeURIComponent(c.student_id)}` }, t("details")))) : h("li", { class: "muted" }, t("none"))),
    h("h2", {}, t("device_title")),
    h("p", { class: "muted" }, t("device_info", { label: ctx.device.label, id: ctx.device.device_id, prefix: ctx.device.ticket_prefix })),
    h("button", { class: "danger", disabled: pending > 0, onclick: async () => {
      try {
        await deleteVisitData(ctx.vid);
        toast(t("visit_forgotten"), "ok");
        ctx.go("#/");
      } catch {
        toast(t("visit_forget_unsynced"), "error");
      }
    } }, t("forget_visit")),
    pending > 0 ? h("p", { class: "hint" }, t("forget_needs_sync")) : null);
}

export const sync = { render: renderSync };
