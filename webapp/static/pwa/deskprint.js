// The desk's "Sudah punya KTP-el" and on-site printing (docs/desk.md): two more outcome-like
// actions, kept apart from student.js so the desk screens stay small.

import { t } from "./i18n.js";
import { dialog, field, h } from "./ui.js";

export const PRINT_REASONS = ["no_blank", "printer_fault", "not_print_ready"];

/** "Sudah punya KTP-el": an outcome of its own, counted apart from failed and absent. */
export async function alreadyRecorded(ctx, sid) {
  const ok = await dialog({ title: t("already_title"), confirmText: t("save"),
    body: [h("p", {}, t("already_body"))], collect: () => true });
  if (ok) await ctx.act([{ type: "outcome", student_id: sid, result: "already_recorded" }], t("saved_already"));
}

async function notPrinted(ctx, sid) {
  const select = h("select", { required: true }, h("option", { value: "" }, t("choose")),
    PRINT_REASONS.map((r) => h("option", { value: r }, t(`pr_${r}`))));
  const reason = await dialog({ title: t("not_printed_title"), confirmText: t("save"), body: [field(t("print_reason"), select)],
    validate: () => (select.value ? null : t("print_reason_required")), collect: () => select.value });
  if (reason) await ctx.act([{ type: "print", student_id: sid, result: "not_printed", reason }], t("saved"));
}

/** The print buttons, only for a student whose card may be printed (17+ or married). */
export function printPanel(ctx, sid, eligibility, state) {
  if (eligibility !== "record_and_print") return null;
  const badge = state.print ? h("span", { class: state.print === "printed" ? "badge ok" : "badge warn" },
    t(`print_${state.print}`), state.print_reason ? ` · ${t(`pr_${state.print_reason}`)}` : "") : null;
  return [h("h3", {}, t("print_title"), badge),
    h("div", { class: "actions" },
      h("button", { class: "print-done", onclick: () => ctx.act([{ type: "print", student_id: sid, result: "printed" }], t("saved_printed")) },
        t("btn_printed")),
      h("button", { class: "print-not", onclick: () => notPrinted(ctx, sid) }, t("btn_not_printed")))];
}

/** The words of a print or correction event in a student's history. */
export function describeDesk(ev) {
  if (ev.type === "print") return `${t("ev_print")}: ${t(`print_${ev.result}`)}${ev.reason ? ` (${t(`pr_${ev.reason}`)})` : ""}`;
  if (ev.type === "correction") return `${t("ev_correction")}: ${ev.field} → ${ev.value ?? "–"} (${ev.reason})`;
  return null;
}
