// Everything the phone keeps, in IndexedDB (through idb): the device and its token, visits,
// rosters, every known event (own outbox, synced, received, rejected) and sync state.
// An event is written together with its seq and hlc in ONE transaction, so seqs stay gap-free.

import { deleteDB, openDB } from "../vendor/idb/index.js";
import { fold } from "./fold.js";
import { isHlc, receive, tick } from "./hlc.js";
import { withSlipCodes } from "./lookup.js";
import { planAnswer } from "./sync.js";
import { allocateTicket } from "./tickets.js";
import { cacheWrote, cachedVisit, dropCache, foldable, inFold, studentKeys } from "./visitcache.js";

export const DB_NAME = "jemput";
export const AUTO_TICKET = "__auto__";
const CHANNEL = "jemput";
const SEQ_RANGE = (vid, status) => IDBKeyRange.bound([vid, status, -Infinity], [vid, status, Infinity]);

let dbPromise = null;
let channel = null;
const TAB = Math.random().toString(36).slice(2); // this module instance: its own messages are not news

export function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore("meta");
        d.createObjectStore("visits", { keyPath: "id" });
        d.createObjectStore("rosters", { keyPath: "visit_id" });
        d.createObjectStore("syncstate", { keyPath: "visit_id" });
        const events = d.createObjectStore("events", { keyPath: "id" });
        events.createIndex("by_visit", "visit_id");
        events.createIndex("by_visit_status_seq", ["visit_id", "status", "seq"]);
      },
      blocking() {
        // Another tab wants a newer schema (or a wipe): let it go.
        dbPromise.then((d) => d.close());
        dbPromise = null;
      },
    });
  }
  return dbPromise;
}

/** Tell this tab and the others (queue display) that a visit's data changed. */
export function notify(visitId, kind = "changed") {
  if (!channel && typeof BroadcastChannel !== "undefined") channel = new BroadcastChannel(CHANNEL);
  const message = { type: kind, visit_id: String(visitId), tab: TAB };
  if (channel) channel.postMessage(message);
  window.dispatchEvent(new CustomEvent("jemput:data", { detail: message }));
}

if (typeof BroadcastChannel !== "undefined") {
  // Another tab wrote: what this tab holds in memory of that visit is stale.
  new BroadcastChannel(CHANNEL).onmessage = (e) => {
    if (e.data && e.data.tab !== TAB) dropCache(e.data.visit_id);
  };
}

/** Listen to changes made by other tabs of this device. */
export function onRemoteChange(callback) {
  if (typeof BroadcastChannel === "undefined") return;
  const listener = new BroadcastChannel(CHANNEL);
  listener.onmessage = (e) => callback(e.data);
}

export const getMeta = async (key) => (await db()).get("meta", key);
export const setMeta = async (key, value) => (await db()).put("meta", value, key);
export const getDevice = () => getMeta("device");
export const saveDevice = (device) => setMeta("device", device);

export async function saveVisits(list) {
  const d = await db();
  const tx = d.transaction("visits", "readwrite");
  await tx.store.clear();
  for (const v of list) await tx.store.put({ ...v, id: String(v.id) });
  await tx.done;
}

export const getVisits = async () => (await db()).getAll("visits");
export const getRoster = async (vid) => (await db()).get("rosters", String(vid));
// Whether the visit is downloaded, without reading its roster (~290 KB at 500 students).
export const hasRoster = async (vid) => (await (await db()).count("rosters", String(vid))) > 0;

export async function saveRoster(vid, roster, etag) {
  const students = await withSlipCodes(roster.students); // computed once here, not on every search
  const d = await db();
  await d.put("rosters", { visit_id: String(vid), visit: roster.visit, students,
    cursor: roster.cursor ?? null, etag: etag || null, downloaded_at: new Date().toISOString() });
  dropCache(vid);
  notify(vid);
}

/**
 * Append events (seq + hlc + optional ticket allocated in the same transaction). `at` keeps the
 * time of an action whose first write failed (keeper.js holds it until it can be stored).
 */
export async function appendEvents(visitId, specs, { at = null } = {}) {
  const vid = String(visitId);
  const d = await db();
  // Strict: on disk before the screen says done and before a linked phone hears of it (Chrome's
  // default is relaxed, which a power cut can undo after peers already acted on the event).
  const tx = d.transaction(["meta", "events"], "readwrite", { durability: "strict" });
  const meta = tx.objectStore("meta");
  const device = await meta.get("device");
  if (!device) throw new Error("no_device");
  let seq = (await meta.get("seq")) || 0;
  let hlc = (await meta.get("hlc")) || null;
  const created = [];
  const recs = [];
  for (const spec of specs) {
    seq += 1;
    hlc = tick(hlc, Date.now());
    const ev = { ...spec, id: `${device.device_id}:${seq}`, device_id: device.device_id, seq, hlc, at: at || new Date().toISOString() };
    if (ev.type === "enqueue" && ev.ticket === AUTO_TICKET) {
      const key = `ticket:${vid}`;
      const { ticket, counter } = allocateTicket(device.ticket_prefix, (await meta.get(key)) || 0);
      ev.ticket = ticket;
      await meta.put(counter, key);
    }
    const rec = { id: ev.id, visit_id: vid, status: "outbox", seq, ev };
    await tx.objectStore("events").add(rec);
    created.push(ev);
    recs.push(rec);
  }
  await meta.put(seq, "seq");
  await meta.put(hlc, "hlc");
  await tx.done;
  cacheWrote(vid, recs);
  notify(vid);
  return created;
}

/** Continue numbering after `seq` (the server or the marker knows a higher one than the phone). */
export async function raiseSeq(seq) {
  const d = await db();
  const tx = d.transaction("meta", "readwrite");
  if (((await tx.store.get("seq")) || 0) < seq) await tx.store.put(seq, "seq");
  await tx.done;
}

/** All event records of a visit: {id, visit_id, status, seq, ev, rejection?}. */
export const eventRecords = async (vid) => (await db()).getAllFromIndex("events", "by_visit", String(vid));

export async function outbox(vid, limit) {
  const recs = await (await db()).getAllFromIndex("events", "by_visit_status_seq", SEQ_RANGE(String(vid), "outbox"), limit);
  return recs.map((r) => r.ev);
}

export const countOutbox = async (vid) => (await db()).countFromIndex("events", "by_visit_status_seq", SEQ_RANGE(String(vid), "outbox"));

/** Visit ids that still hold unsynced events. */
export async function visitsWithOutbox() {
  const out = new Set();
  for (const r of await (await db()).getAll("events")) if (r.status === "outbox") out.add(r.visit_id);
  return [...out];
}

export async function countAllOutbox() {
  let n = 0;
  for (const r of await (await db()).getAll("events")) if (r.status === "outbox") n += 1;
  return n;
}

export const getSyncState = async (vid) => (await db()).get("syncstate", String(vid));

export async function setSyncError(vid, error) {
  const d = await db();
  const st = (await d.get("syncstate", String(vid))) || { visit_id: String(vid), cursor: null, conflicts: [] };
  st.last_error = error ? { code: error.code, message: error.message, at: new Date().toISOString() } : null;
  await d.put("syncstate", st);
}

/** Store one sync answer atomically: statuses, received events, clock, cursor, conflicts. */
export async function applyAnswer(visitId, sent, answer) {
  const vid = String(visitId);
  const plan = planAnswer(sent, answer);
  const d = await db();
  const tx = d.transaction(["events", "meta", "syncstate"], "readwrite");
  const events = tx.objectStore("events");
  const now = new Date().toISOString();
  const redacted = answer.walkins || {};
  const wrote = [];
  const put = async (rec) => {
    await events.put(rec);
    wrote.push(rec);
  };
  for (const id of plan.synced) {
    const rec = await events.get(id);
    if (!rec) continue;
    // Once the server holds a walk-in, the phone keeps only its masked form (no typed NIK/KK).
    const student = rec.ev.type === "walkin" && rec.ev.student ? redacted[rec.ev.student.id] : null;
    const ev = student ? { ...rec.ev, student: { ...student, id: rec.ev.student.id } } : rec.ev;
    await put({ ...rec, ev, status: "synced", synced_at: now });
  }
  for (const r of plan.rejected) {
    const rec = await events.get(r.id);
    if (rec) await put({ ...rec, status: "rejected", rejection: { ...r, at: now } });
  }
  const meta = tx.objectStore("meta");
  let hlc = (await meta.get("hlc")) || null;
  let received = 0;
  for (const raw of answer.events || []) {
    if (!raw || typeof raw.id !== "string") continue;
    const ev = raw.device_id ? raw : { ...raw, device_id: raw.id.slice(0, raw.id.lastIndexOf(":")) };
    // The clock moves past everything we hear of, so our next event sorts after it.
    if (isHlc(ev.hlc)) hlc = receive(hlc, ev.hlc, Date.now());
    const known = await events.get(ev.id);
    if (!known) {
      await put({ id: ev.id, visit_id: vid, status: "remote", seq: ev.seq, ev });
      received += 1;
    } else if ((known.status === "remote" || known.status === "peer") && ev.type === "walkin") {
      // A walk-in first heard from a phone nearby lacks the server's nik_key: take this copy.
      await put({ ...known, ev });
    }
  }
  await meta.put(hlc, "hlc");
  const ss = tx.objectStore("syncstate");
  const st = (await ss.get(vid)) || { visit_id: vid, cursor: null, conflicts: [] };
  st.cursor = answer.cursor === undefined ? st.cursor : answer.cursor;
  st.last_sync_at = now;
  st.last_error = null;
  // The answer lists the visit's current conflicts: one resolved by an undo disappears.
  if (Array.isArray(answer.conflicts)) st.conflicts = answer.conflicts;
  await ss.put(st);
  await tx.done;
  cacheWrote(vid, wrote);
  notify(vid);
  return { handled: plan.synced.length + plan.rejected.length, received, rejected: plan.rejected.length };
}

/** The store object sync.js works with. */
export const store = { getDevice, getSyncState, outbox, countOutbox, applyAnswer };



let foldMode = "incremental";
/** "incremental" (the default) or "full" (refold every event: the benchmark's baseline). */
export function setFoldMode(mode) {
  foldMode = mode === "full" ? "full" : "incremental";
}

/** The visit as the phone sees it now: roster, all usable events, and their fold. */
export async function loadVisit(vid) {
  const id = String(vid);
  let roster;
  let recs;
  let folded;
  if (foldMode === "full") {
    [roster, recs] = await Promise.all([getRoster(id), eventRecords(id)]);
    if (!roster) return null;
    const events = recs.filter(inFold).map((r) => r.ev);
    folded = fold(events.map(foldable), studentKeys(roster), { closed: roster.visit.status === "closed" });
  } else {
    const c = await cachedVisit(id, () => Promise.all([getRoster(id), eventRecords(id)]));
    if (!c) return null;
    ({ roster } = c);
    recs = [...c.recs.values()];
    folded = c.folds.result;
  }
  const syncState = await getSyncState(id);
  const events = recs.filter(inFold).map((r) => r.ev);
  const walkins = new Map();
  for (const ev of events) if (ev.type === "walkin" && ev.student) walkins.set(ev.student.id, ev.student);
  return { vid: id, roster, records: recs, events, folded, walkins, syncState: syncState || null };
}

/** Forget one visit's roster and events (personal data off the phone); refuses unsynced. */
export async function deleteVisitData(vid, { force = false } = {}) {
  const id = String(vid);
  if (!force && (await countOutbox(id)) > 0) throw new Error("unsynced");
  const d = await db();
  const tx = d.transaction(["rosters", "events", "syncstate"], "readwrite");
  await tx.objectStore("rosters").delete(id);
  await tx.objectStore("syncstate").delete(id);
  const idx = tx.objectStore("events").index("by_visit");
  for (let cur = await idx.openCursor(id); cur; cur = await cur.continue()) await cur.delete();
  await tx.done;
  dropCache(id);
  notify(id);
}

/** Sign-out: delete the whole database (token, rosters, events). */
export async function wipeAll() {
  dropCache();
  if (dbPromise) (await dbPromise).close();
  dbPromise = null;
  await deleteDB(DB_NAME);
}

/**
 * Events heard from a linked phone: kept, never uploaded (their own phone does that). Except this
 * phone's own: a linked phone holds them only because this one lost them (a power cut, a restored
 * copy), so they go back to the outbox and numbering continues after them (docs/phone-link.md).
 */
export async function addPeerEvents(visitId, list) {
  const vid = String(visitId);
  const d = await db();
  const tx = d.transaction(["events", "meta"], "readwrite");
  const events = tx.objectStore("events");
  const meta = tx.objectStore("meta");
  const device = await meta.get("device");
  const own = device ? device.device_id : null;
  let hlc = (await meta.get("hlc")) || null;
  const before = (await meta.get("seq")) || 0;
  let seq = before;
  const added = [];
  for (const ev of list) {
    if (isHlc(ev.hlc)) hlc = receive(hlc, ev.hlc, Date.now());
    if (!(await events.get(ev.id))) {
      const fromMe = own !== null && ev.device_id === own;
      // A walk-in comes back without its NIK and KK (forPeers): not the event this phone made.
      const stripped = ev.type === "walkin" && !(ev.student && typeof ev.student.nik === "string");
      const rec = { id: ev.id, visit_id: vid, status: fromMe && !stripped ? "outbox" : "peer", seq: ev.seq, ev };
      await events.put(rec);
      added.push(rec);
      if (fromMe && Number.isInteger(ev.seq)) seq = Math.max(seq, ev.seq);
    }
  }
  await meta.put(hlc, "hlc");
  if (seq > before) await meta.put(seq, "seq");
  await tx.done;
  cacheWrote(vid, added);
  if (added.length) notify(vid);
  return added.length;
}
