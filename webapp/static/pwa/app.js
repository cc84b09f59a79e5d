// The field officer's app: boot, hash router, the always-visible sync bar, bottom tabs.
// Screens live in screens-*.js; all data comes from IndexedDB (db.js) and the JSON API.

import { countAllOutbox, countOutbox, getDevice, getMeta, getSyncState, loadVisit, onRemoteChange, setMeta } from "./db.js";
import { t } from "./i18n.js";
import * as keeper from "./keeper.js";
import { deriveQueue } from "./queue.js";
import * as checkin from "./screens-checkin.js";
import * as home from "./screens-home.js";
import * as linkScreen from "./screens-link.js";
import { currentSession, publish } from "./peers.js";
import * as queue from "./screens-queue.js";
import * as settings from "./screens-settings.js";
import * as syncScreen from "./screens-sync.js";
import { schoolOf } from "./student.js";
import { registerWorker } from "./swclient.js";
import { events as syncEvents, isRunning, startAutoSync, startHeadWatch, syncNow, syncSoon } from "./syncer.js";
import { fmtTime, h, mount, setTimeZone, toast } from "./ui.js";
import { reachable } from "./api.js";
import { keepHeaderInView } from "./viewport.js";

const view = document.getElementById("view");
const bar = document.getElementById("syncbar");
const alerts = document.getElementById("alerts");
const settingsLink = document.getElementById("settings-link");
const tabs = document.getElementById("tabs");
const title = document.getElementById("context-title");
const defaultTitle = title ? title.textContent : "";
let current = { screen: null, vid: null, params: {} };
let progress = null;

const ROUTES = {
  "": home.visits, login: home.login, checkin: checkin.checkin, walkin: checkin.walkin,
  queue: queue.queue, desk: queue.desk, student: queue.student, sync: syncScreen.sync, link: linkScreen.link,
  settings: settings.settings,
};

/** "#/v/12/checkin" -> {name: "checkin", vid: "12", params: {}}; "#/v/12/student/abc" too. */
function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "login" || parts[0] === "settings") return { name: parts[0], vid: null, params: {} };
  if (parts[0] === "v" && parts[1]) return { name: parts[2] || "checkin", vid: parts[1], params: { id: parts[3] || null } };
  return { name: "", vid: null, params: {} };
}

export const go = (hash) => {
  if (location.hash === hash) route();
  else location.hash = hash;
};

/** Load a visit and build the context every screen gets. */
async function context(vid) {
  const device = await getDevice();
  const base = {
    device, go, vid, refresh: () => refresh(), sync: () => manualSync(),
    // A quiet round trip to the server, never longer than `wait` ms; none when the server did
    // not answer the last request (a hotspot without internet still says "online").
    pull: async (wait = 2500) => {
      if (!navigator.onLine || reachable() === false) return false;
      await Promise.race([syncNow([vid], { quiet: true }), new Promise((r) => {
        setTimeout(r, wait);
      })]);
      return true;
    },
    fresh: () => context(vid),
  };
  if (!vid) return base;
  const data = await loadVisit(vid);
  if (!data) return { ...base, data: null };
  if (data.roster.visit.timezone) setTimeZone(data.roster.visit.timezone);
  const byId = new Map(data.roster.students.map((s) => [s.id, s]));
  const stations = Number(data.roster.visit.stations) || 1;
  const ctx = { ...base, data, byId, stations, queue: deriveQueue(data.events, data.folded, stations) };
  // Every event this phone knows goes to its linked phones (new ones only: gossip drops repeats).
  if (linkScreen.sessionFor(ctx)) publish(vid, data.events);
  ctx.act = async (specs, message) => {
    // A failed write is held and shown in the header at once (keeper.js); never a silent loss.
    const created = await keeper.act(vid, specs);
    if (created) publish(vid, created);
    if (created && message) toast(message, "ok");
    syncSoon(vid);
    await refresh();
    return created;
  };
  return ctx;
}

async function route() {
  const r = parse(location.hash);
  const device = await getDevice();
  if (!device && r.name !== "login") return go("#/login");
  if (current.screen && current.screen.leave) current.screen.leave();
  const screen = ROUTES[r.name] || home.visits;
  current = { screen, vid: r.vid, params: r.params };
  // A convenience write: a full disk must not keep the officer from the screen.
  if (r.vid) await setMeta("current_visit", r.vid).catch(() => keeper.checkSpace(true));
  const ctx = await context(r.vid);
  if (r.vid && !ctx.data) return go("#/");
  keepAwake(Boolean(r.vid));
  renderTabs(r);
  if (title) title.textContent = ctx.data ? schoolOf(ctx.data.roster.visit) : defaultTitle;
  mount(view, await screen.render(ctx, r.params));
  view.focus({ preventScroll: true });
  await renderBar();
}

let wakeLock = null;
let wantAwake = false;

/** Keep the screen on while a visit screen is open (the phone is the gate, a desk or a TV). */
async function keepAwake(on) {
  wantAwake = on;
  if (!on && wakeLock) {
    wakeLock.release().catch(() => {});
    wakeLock = null;
  } else if (on && !wakeLock && navigator.wakeLock && document.visibilityState === "visible") {
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => {
        wakeLock = null;
      });
    } catch {
      wakeLock = null; // battery saver or no permission: the app still works
    }
  }
}
document.addEventListener("visibilitychange", () => keepAwake(wantAwake));

let refreshing = false;
let refreshAgain = false;

/**
 * Re-render after data changed (own action, sync, another tab, a linked phone); forms keep their
 * input. One at a time: a peer's events arriving while a refresh runs (or an action taken inside
 * one, as settling a lost call does) would otherwise settle the same lost call twice from one
 * stale queue; they ask for one more pass instead.
 */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  try {
    do {
      refreshAgain = false;
      await refreshOnce();
    } while (refreshAgain);
  } finally {
    refreshing = false;
  }
}

async function refreshOnce() {
  const { screen, vid, params } = current;
  if (!screen) return;
  const ctx = await context(vid);
  if (vid && !ctx.data) return;
  if (await queue.settleLostCalls(ctx)) return; // it acted: the next pass shows the result
  if (screen.update) await screen.update(ctx, params);
  else mount(view, await screen.render(ctx, params));
  await renderBar();
}

function renderTabs(r) {
  tabs.hidden = !r.vid;
  if (!r.vid) return;
  const tab = (name, label) => h("a", { href: `#/v/${r.vid}/${name}`, class: r.name === name ? "active" : "", "aria-current": r.name === name ? "page" : null }, label);
  mount(tabs, tab("checkin", t("tab_checkin")), tab("queue", t("tab_queue")), tab("desk", t("tab_desk")), tab("link", t("tab_link")), tab("sync", t("tab_sync")));
}

async function renderBar() {
  const device = await getDevice();
  bar.hidden = !device;
  if (settingsLink) settingsLink.hidden = !device;
  await renderAlerts();
  if (!device) return;
  const vid = current.vid;
  const pending = vid ? await countOutbox(vid) : await countAllOutbox();
  const st = vid ? await getSyncState(vid) : null;
  const online = navigator.onLine && reachable() !== false;
  const status = isRunning() && progress
    ? t("syncing_progress", { sent: progress.sent, total: progress.total })
    : isRunning() ? t("syncing") : null;
  mount(bar,
    h("span", { class: online ? "net on" : "net off" }, online ? t("online") : t("offline")),
    h("span", { class: pending ? "pending has" : "pending", id: "unsynced", "data-count": pending }, t("unsynced", { n: pending })),
    h("span", { class: "last" }, vid ? t("last_sync", { time: st && st.last_sync_at ? fmtTime(st.last_sync_at) : t("never") }) : ""),
    status ? h("span", { class: "progress", role: "status" }, status) : null,
    h("button", { class: "small", onclick: () => manualSync(), disabled: isRunning() }, t("sync_now")));
}

/** Held writes, a space warning and a found database loss, on top of every screen. */
async function renderAlerts() {
  const items = [];
  const held = keeper.held();
  if (held.length) {
    const n = held.reduce((sum, w) => sum + w.specs.length, 0);
    items.push(h("div", { class: "alert danger", id: "held-alert", "data-count": n },
      h("p", {}, t("held_alert", { n, error: held[held.length - 1].error })),
      h("button", { class: "small", onclick: async () => {
        const left = await keeper.retryHeld();
        if (!left) toast(t("held_saved"), "ok");
        syncSoon(current.vid); // every visit with unsynced events goes along
        await refresh();
      } }, t("held_retry"))));
  }
  const space = keeper.lastSpace();
  if (space && space.warn) {
    items.push(h("div", { class: "alert warn", id: "space-alert" },
      h("p", {}, t("space_warn", { pct: Math.round(space.ratio * 100) }))));
  }
  const loss = await getMeta("loss");
  if (loss) {
    items.push(h("div", { class: "alert info", id: "loss-alert" }, h("p", {}, keeper.lossText(loss)),
      h("button", { class: "small", onclick: async () => {
        await setMeta("loss", null);
        await renderAlerts();
      } }, t("dismiss"))));
  }
  mount(alerts, ...items);
}

async function manualSync() {
  const res = await syncNow(current.vid ? [current.vid] : []);
  if (res.error) toast(t(`syncerr_${res.error.code}`) || res.error.message, "error");
  else toast(t("sync_done"), "ok");
}

syncEvents.addEventListener("start", () => renderBar());
syncEvents.addEventListener("progress", (e) => {
  progress = e.detail;
  renderBar();
});
syncEvents.addEventListener("done", (e) => {
  progress = null;
  const err = e.detail.error;
  if (err && err.code === "unauthorized") toast(t("syncerr_unauthorized"), "error");
  refresh();
});
syncEvents.addEventListener("purged", () => {
  toast(t("visit_closed_purged"), "ok");
  if (current.vid) location.hash = "#/";
});
keeper.events.addEventListener("change", () => renderAlerts());
window.addEventListener("online", renderBar);
window.addEventListener("offline", renderBar);
window.addEventListener("hashchange", route);
onRemoteChange((msg) => {
  if (!current.vid || msg.visit_id === current.vid) refresh();
});

keepHeaderInView();
registerWorker(document.getElementById("update"));
startAutoSync(() => current.vid);
startHeadWatch(() => current.vid);
// The marker check needs no network and settles before any write (keeper.act waits for it);
// the server's answer follows once the first screen is up.
keeper.bootCheck({ askServer: false });
route().then(async () => {
  await keeper.bootCheck();
  await renderBar();
  if (navigator.onLine) syncNow(current.vid ? [current.vid] : [], { quiet: true });
});
// For tests and support: the current state, as the phone folds it.
window.jemput = {
  loadVisit, syncNow, current: () => current, linkSession: () => currentSession(),
  linkCode: (text) => linkScreen.onCode(currentSession(), text),
  scan: (text) => checkin.onScan(text),
};
