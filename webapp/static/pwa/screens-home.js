// Sign-in (registers this phone as a device), the visit list with "Unduh untuk luring", and
// sign-out, which refuses to wipe unsynced events unless the officer confirms a clear warning.

import { authed, request } from "./api.js";
import { countAllOutbox, deleteVisitData, getRoster, getVisits, saveDevice, saveRoster, saveVisits, setMeta, wipeAll } from "./db.js";
import { t } from "./i18n.js";
import * as keeper from "./keeper.js";
import { languageSwitch } from "./lang.js";
import { readMarker } from "./storage.js";
import { keepDecoder } from "./swclient.js";
import { syncNow } from "./syncer.js";
import { dialog, field, fmtDate, fmtTime, h, toast } from "./ui.js";
import { officeToday, officerOrder } from "./visitorder.js";

async function renderLogin(ctx) {
  if (ctx.device) {
    ctx.go("#/");
    return h("p", {}, "");
  }
  const user = h("input", { name: "username", autocomplete: "username", autocapitalize: "none", required: true });
  const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const label = h("input", { name: "label", maxlength: 80, placeholder: t("label_placeholder") });
  const err = h("p", { class: "error banner", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary wide" }, t("sign_in"));
  // A marker without a database: the browser dropped our data (docs/pwa.md "Storage").
  const lost = readMarker();
  const form = h("form", { class: "card narrow", novalidate: true },
    h("h1", {}, t("sign_in_title")),
    lost ? h("div", { class: "w-danger banner", id: "db-lost", role: "alert" }, t("db_lost_login", { seq: lost.seq || 0 })) : null,
    h("p", { class: "muted" }, t("sign_in_intro")), err,
    field(t("username"), user), field(t("password"), pass), field(t("device_label"), label, { hint: t("device_label_hint") }),
    submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    err.hidden = true;
    if (!user.value.trim() || !pass.value) {
      err.textContent = t("sign_in_missing");
      err.hidden = false;
      return;
    }
    submit.disabled = true;
    const res = await request("POST", "/api/v1/devices", {
      body: { username: user.value.trim(), password: pass.value, label: label.value.trim() || `HP ${user.value.trim()}` },
    });
    submit.disabled = false;
    if (res.status === 201) {
      const b = res.body;
      const device = { device_id: b.device_id, token: b.token, ticket_prefix: b.ticket_prefix, role: b.role,
        username: user.value.trim(), label: label.value.trim() || `HP ${user.value.trim()}`, registered_at: new Date().toISOString() };
      await saveDevice(device);
      await setMeta("seq", 0);
      await keeper.afterSignIn(device);
      toast(t("signed_in"), "ok");
      ctx.go("#/");
      return;
    }
    err.textContent = res.status === 0 ? t("sign_in_offline") : (res.body && res.body.message) || t("sign_in_failed");
    err.hidden = false;
  });
  return h("div", {}, form, languageSwitch("narrow"));
}

function schoolName(v) {
  return typeof v.school === "string" ? v.school : (v.school && v.school.name) || v.school_name || `#${v.id}`;
}

/** Fetch the roster (ETag aware) and pull every event of the visit once. */
export async function download(vid) {
  const old = await getRoster(vid);
  const res = await authed("GET", `/api/v1/visits/${encodeURIComponent(vid)}/roster`, {
    headers: old && old.etag ? { "If-None-Match": old.etag } : {}, timeout: 60000,
  });
  if (res.status === 200) await saveRoster(vid, res.body, res.headers.get("ETag"));
  else if (res.status !== 304) return { ok: false, res };
  // Offline work needs the scanner's decoder in the worker's cache (not pre-cached at install).
  const [synced] = await Promise.all([syncNow([vid]), keepDecoder()]);
  return { ok: !synced.error, res, error: synced.error };
}

async function signOut(_ctx) {
  const pending = await countAllOutbox();
  const check = h("input", { type: "checkbox", id: "confirm-wipe" });
  const body = pending
    ? [h("p", { class: "w-danger" }, t("signout_unsynced", { n: pending })), h("label", { class: "check" }, check, t("signout_confirm_check"))]
    : [h("p", {}, t("signout_body"))];
  const ok = await dialog({ title: t("signout_title"), danger: true, confirmText: pending ? t("signout_anyway") : t("sign_out"), body,
    validate: () => (pending && !check.checked ? t("signout_check_required") : null) });
  if (!ok) return;
  await wipeAll();
  keeper.signedOut();
  toast(t("signed_out"), "ok");
  location.hash = "#/login";
  location.reload();
}

async function renderVisits(ctx) {
  const list = h("ul", { class: "list visits" });
  const note = h("p", { class: "muted", role: "status" });
  const box = h("section", {},
    h("div", { class: "row" }, h("h1", {}, t("visits_title")),
      h("button", { class: "link", onclick: () => signOut(ctx) }, t("sign_out"))),
    h("p", { class: "muted" }, t("signed_in_as", { user: ctx.device.username, label: ctx.device.label, prefix: ctx.device.ticket_prefix })),
    note, list,
    h("p", {}, h("a", { href: "/app/antrean", target: "_blank", rel: "noopener", class: "button" }, t("open_display"))),
    h("p", {}, h("a", { href: "/petugas/", class: "button" }, t("server_home"))));
  let rows = await getVisits();
  const res = await authed("GET", "/api/v1/visits", { timeout: 10000 });
  if (res.status === 200 && Array.isArray(res.body)) {
    // A full disk keeps the stored list; the fresh one is still shown.
    rows = await saveVisits(res.body).then(getVisits, () => res.body.map((v) => ({ ...v, id: String(v.id) })));
  } else {
    note.textContent = res.status === 0 ? t("visits_offline") : t("visits_error", { status: res.status });
  }
  rows = officerOrder(rows, officeToday()); // today's visit on top, where no toast covers it
  const render = async () => {
    const items = [];
    for (const v of rows) {
      const roster = await getRoster(v.id);
      const dl = h("button", { class: roster ? "" : "primary" }, roster ? t("refresh_roster") : t("download"));
      dl.addEventListener("click", async () => {
        dl.disabled = true;
        dl.textContent = t("downloading");
        const out = await download(v.id);
        if (out.ok) toast(t("downloaded"), "ok");
        else toast(out.error ? t(`syncerr_${out.error.code}`) : t("download_failed", { status: out.res.status }), "error");
        await render();
      });
      const forget = roster ? h("button", { class: "link", onclick: async () => {
        try {
          await deleteVisitData(v.id);
          toast(t("visit_forgotten"), "ok");
        } catch {
          toast(t("visit_forget_unsynced"), "error");
        }
        await render();
      } }, t("forget_visit")) : null;
      items.push(h("li", { "data-visit": v.id },
        roster ? h("a", { href: `#/v/${v.id}/checkin`, class: "visit-open" }, h("strong", {}, schoolName(v))) : h("strong", {}, schoolName(v)),
        h("span", { class: "muted" }, fmtDate(v.date)),
        h("span", { class: `badge status-${v.status}` }, t(`status_${v.status}`)),
        roster ? h("span", { class: "badge ok offline-ready" }, t("offline_ready", { time: fmtTime(roster.downloaded_at), n: roster.students.length })) : null,
        h("div", { class: "actions" }, roster ? h("a", { class: "button primary", href: `#/v/${v.id}/checkin` }, t("open")) : null, dl, forget)));
    }
    list.replaceChildren(...(items.length ? items : [h("li", { class: "muted" }, t("no_visits"))]));
  };
  await render();
  return box;
}

export const login = { render: renderLogin };
// The visit list re-renders itself after a download; a background sync need not refetch it.
export const visits = { render: renderVisits, update: () => {} };
