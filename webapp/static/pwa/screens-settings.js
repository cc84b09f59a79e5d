// The phone's settings: this device, persistent storage (the answer of persist() at sign-in and
// now), space used, and what was found about a lost database.

import { getMeta, setMeta } from "./db.js";
import { getLang, t } from "./i18n.js";
import * as keeper from "./keeper.js";
import { languageSwitch } from "./lang.js";
import { fmtBytes, requestPersist } from "./storage.js";
import { fmtDateTime, h, toast } from "./ui.js";

function persistLines(asked, now) {
  if (now.persisted === null && !(asked && asked.supported)) return [h("p", { id: "persist-state", "data-persisted": "unsupported" }, t("persist_unsupported"))];
  return [
    h("p", { id: "persist-state", "data-persisted": String(Boolean(now.persisted)), class: now.persisted ? "" : "w-warn" },
      now.persisted ? t("persist_yes") : t("persist_no")),
    asked ? h("p", { class: "muted", id: "persist-asked", "data-granted": String(Boolean(asked.granted)) },
      t("persist_asked", { time: fmtDateTime(asked.asked_at), answer: asked.granted ? t("persist_granted") : t("persist_denied") })) : null,
  ];
}

function usageLine(now) {
  const locale = getLang() === "en" ? "en-GB" : "id-ID";
  if (now.usage === null || !now.quota) return h("p", { id: "usage" }, t("usage_unknown"));
  const pct = (now.ratio * 100).toLocaleString(locale, { maximumFractionDigits: 1 });
  return h("p", { id: "usage", class: now.warn ? "w-warn" : "", "data-ratio": now.ratio.toFixed(4) },
    t("usage_line", { used: fmtBytes(now.usage, locale), quota: fmtBytes(now.quota, locale), pct }));
}

async function renderSettings(ctx) {
  const asked = await getMeta("persist");
  const now = await keeper.checkSpace(true);
  const loss = await getMeta("loss");
  const again = h("button", { onclick: async () => {
    const answer = await requestPersist();
    await setMeta("persist", answer);
    toast(answer.granted ? t("persist_granted") : t("persist_denied"), answer.granted ? "ok" : "error");
    await ctx.refresh();
  } }, t("persist_again"));
  return h("section", { class: "settings" },
    h("h1", {}, t("settings_title")),
    h("section", { class: "card", "aria-labelledby": "set-device" },
      h("h2", { id: "set-device" }, t("device_title")),
      h("p", {}, t("device_info", { label: ctx.device.label, id: ctx.device.device_id, prefix: ctx.device.ticket_prefix })),
      h("p", { class: "muted" }, t("signed_in_as", { user: ctx.device.username, label: ctx.device.label, prefix: ctx.device.ticket_prefix }))),
    languageSwitch(),
    h("section", { class: "card", "aria-labelledby": "set-storage" },
      h("h2", { id: "set-storage" }, t("storage_title")),
      persistLines(asked, now), usageLine(now),
      now.warn ? h("p", { class: "w-warn" }, t("space_warn", { pct: Math.round(now.ratio * 100) })) : null,
      now.persisted ? null : again,
      h("p", { class: "hint" }, t("storage_hint")),
      loss ? h("p", { class: "w-info", id: "settings-loss" }, keeper.lossText(loss)) : null),
    h("p", {}, h("a", { class: "button", href: "#/" }, t("back"))));
}

export const settings = { render: renderSettings };
