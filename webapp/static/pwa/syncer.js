// When to sync: on reconnect, every minute, shortly after a new event, and on demand. One sync
// at a time across all tabs of this device (Web Locks). Progress goes out as DOM events.

import { api, authed } from "./api.js";
import { deleteVisitData, hasRoster, setSyncError, store, visitsWithOutbox } from "./db.js";
import { DEFAULT_BATCH, SyncError, shouldPurge, syncVisit } from "./sync.js";

export const events = new EventTarget();
let running = null; // the promise of the sync in progress
let followUp = null; // {ids, quiet, promise}: one sync queued behind it
let batch = DEFAULT_BATCH;
let soonTimer = null;
let lastResult = null;

export const isRunning = () => running !== null;
export const lastSyncResult = () => lastResult;

function emit(type, detail) {
  events.dispatchEvent(new CustomEvent(type, { detail }));
}

async function withLock(fn) {
  if (navigator.locks && navigator.locks.request) return navigator.locks.request("jemput-sync", fn);
  return fn();
}

/**
 * Sync `visitIds` (plus every visit with unsynced events). A call made while a sync runs is not
 * dropped: it waits, and all such calls share one follow-up sync with the union of their ids.
 */
export function syncNow(visitIds = [], { quiet = false } = {}) {
  if (!running) {
    running = run(visitIds, quiet).finally(() => {
      running = null;
    });
    return running;
  }
  if (!followUp) {
    followUp = { ids: new Set(), quiet: true };
    followUp.promise = running.catch(() => null).then(() => {
      const next = followUp;
      followUp = null;
      return syncNow([...next.ids], { quiet: next.quiet });
    });
  }
  visitIds.forEach((v) => followUp.ids.add(String(v)));
  followUp.quiet = followUp.quiet && quiet;
  return followUp.promise;
}

async function run(visitIds, quiet) {
  emit("start", { quiet });
  const ids = new Set(visitIds.map(String));
  for (const v of await visitsWithOutbox()) ids.add(v);
  const results = {};
  let error = null;
  try {
    await withLock(async () => {
      for (const vid of ids) {
        if (!(await hasRoster(vid))) continue; // not downloaded here: nothing to fold into
        try {
          const res = await syncVisit({ store, api, visitId: vid, batch,
            onProgress: (p) => emit("progress", { visitId: vid, ...p }) });
          batch = Math.max(res.batch, Math.min(DEFAULT_BATCH, res.batch * 2)); // creep back up
          results[vid] = res;
          if (shouldPurge(res, await store.countOutbox(vid))) {
            await deleteVisitData(vid);
            emit("purged", { visitId: vid });
          }
        } catch (e) {
          const err = e instanceof SyncError ? e : new SyncError("client", String(e && e.message));
          await setSyncError(vid, err);
          error = err;
          if (err.code === "offline" || err.code === "unauthorized") break;
        }
      }
    });
  } finally {
    lastResult = { results, error, at: new Date().toISOString() };
    emit("done", { results, error, quiet });
  }
  return lastResult;
}

/** A sync half a second from now (collapses a burst of actions into one request). */
export function syncSoon(visitId, delay = 500) {
  clearTimeout(soonTimer);
  soonTimer = setTimeout(() => {
    if (navigator.onLine) syncNow([visitId], { quiet: true });
  }, delay);
}

/** Start the automatic triggers; `currentVisit()` names the visit on screen (or null). */
export function startAutoSync(currentVisit, period = 60000) {
  window.addEventListener("online", () => syncNow(currentVisit() ? [currentVisit()] : [], { quiet: true }));
  setInterval(() => {
    if (navigator.onLine && document.visibilityState === "visible") {
      syncNow(currentVisit() ? [currentVisit()] : [], { quiet: true });
    }
  }, period);
}

/**
 * While a visit screen is open and the phone online, ask the server every `period` ms whether the
 * visit's log moved past this phone's cursor (GET .../head, 304 when still) and sync when it did:
 * another phone's event reaches this one within about 2 s through the server, with no state in
 * any server process (docs/phone-link.md, "Online").
 */
export function startHeadWatch(currentVisit, period = 1000) {
  let asking = false;
  setInterval(async () => {
    const vid = currentVisit();
    if (!vid || asking || running || !navigator.onLine || document.visibilityState !== "visible") return;
    asking = true;
    try {
      if (!(await hasRoster(vid))) return;
      const cursor = ((await store.getSyncState(vid)) || {}).cursor || null;
      const headers = cursor ? { "If-None-Match": `"${cursor}"` } : {};
      const res = await authed("GET", `/api/v1/visits/${encodeURIComponent(vid)}/head`, { headers, timeout: 5000 });
      if (res.status === 200 && res.body && res.body.cursor !== cursor) await syncNow([vid], { quiet: true });
    } finally {
      asking = false;
    }
  }, period);
}
