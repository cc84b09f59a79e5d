// Keeping the phone's data (docs/pwa.md "Storage that survives"): persistent storage, space
// left, writes that failed, and a marker outside IndexedDB that reveals a lost database.
// No imports: the pure parts are node-tested, the rest only touches browser APIs.

export const WARN_RATIO = 0.8;
const MARK = "jemput_device";
const HELD = "jemput.held";
const YEAR_S = 400 * 24 * 3600;

/** Ask the browser to keep our data under storage pressure; {supported, granted, asked_at}. */
export async function requestPersist() {
  const asked_at = new Date().toISOString();
  if (!(navigator.storage && navigator.storage.persist)) return { supported: false, granted: false, asked_at };
  try {
    return { supported: true, granted: Boolean(await navigator.storage.persist()), asked_at };
  } catch {
    return { supported: true, granted: false, asked_at };
  }
}

/** What the browser says now: persisted or not, bytes used, quota, and whether to warn. */
export async function storageNow() {
  const s = navigator.storage;
  const out = { supported: Boolean(s && s.estimate), persisted: null, usage: null, quota: null, ratio: null, warn: false };
  if (!out.supported) return out;
  try {
    if (s.persisted) out.persisted = Boolean(await s.persisted());
    const { usage, quota } = await s.estimate();
    Object.assign(out, usageLevel(usage, quota));
  } catch {
    // An estimate we cannot get is not a reason to stop the officer.
  }
  return out;
}

/** {usage, quota, ratio, warn}: warn above WARN_RATIO of the quota. */
export function usageLevel(usage, quota) {
  const ratio = quota > 0 ? usage / quota : null;
  return { usage, quota, ratio, warn: ratio !== null && ratio > WARN_RATIO };
}

/** "1,2 MB" style size in the UI language's locale. */
export function fmtBytes(n, locale = "id-ID") {
  if (n === null || n === undefined) return "-";
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toLocaleString(locale, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

// --- The marker: which device this browser was, and its last seq. It lives in a cookie (never
// evicted with IndexedDB under storage pressure) and in localStorage; it names no person.

function readCookie() {
  const hit = document.cookie.split("; ").find((c) => c.startsWith(`${MARK}=`));
  if (!hit) return null;
  try {
    return JSON.parse(decodeURIComponent(hit.slice(MARK.length + 1)));
  } catch {
    return null;
  }
}

/** The marker of the device this browser last held, or null. */
export function readMarker() {
  let fromStore;
  try {
    fromStore = JSON.parse(localStorage.getItem(MARK) || "null");
  } catch {
    fromStore = null;
  }
  const fromCookie = readCookie();
  if (!fromStore) return fromCookie;
  if (!fromCookie || fromCookie.device_id !== fromStore.device_id) return fromStore;
  return (fromCookie.seq || 0) > (fromStore.seq || 0) ? fromCookie : fromStore;
}

/** Remember {device_id, seq, synced_at} outside IndexedDB (after sign-in, each write, each sync). */
export function writeMarker(marker) {
  const value = { device_id: marker.device_id, seq: marker.seq || 0, synced_at: marker.synced_at || null };
  try {
    localStorage.setItem(MARK, JSON.stringify(value));
  } catch {
    // localStorage full or blocked: the cookie still carries it.
  }
  document.cookie = `${MARK}=${encodeURIComponent(JSON.stringify(value))}; path=/; max-age=${YEAR_S}; SameSite=Strict`;
}

export function clearMarker() {
  try {
    localStorage.removeItem(MARK);
  } catch {
    // nothing to clear
  }
  document.cookie = `${MARK}=; path=/; max-age=0; SameSite=Strict`;
}

/**
 * What start-up learns about the local database (pure). `device`: the IndexedDB device or null;
 * `localSeq`: its last seq; `marker`: readMarker(); `serverSeq`: the server's max_seq of the
 * device (null if unknown). Returns {state, ...}: "ok", "lost" (the database is gone: the
 * marker names the device), or "behind" (the server or marker knows a higher seq than the phone:
 * continue numbering after `seq` so no id is used twice).
 */
export function assessDatabase({ device, localSeq = 0, marker = null, serverSeq = null }) {
  if (!device) return marker && marker.device_id ? { state: "lost", device_id: marker.device_id, seq: marker.seq || 0, synced_at: marker.synced_at || null } : { state: "ok" };
  const known = Math.max(serverSeq || 0, marker && marker.device_id === device.device_id ? marker.seq || 0 : 0);
  return known > (localSeq || 0) ? { state: "behind", seq: known, localSeq: localSeq || 0, serverSeq } : { state: "ok" };
}

/** After a lost database and a new sign-in: events of the old device that never reached the server. */
export function lostEvents(markerSeq, serverSeq) {
  return Math.max(0, (markerSeq || 0) - (serverSeq || 0));
}

// --- Writes that failed (storage full, database gone): kept outside IndexedDB until they succeed.

/** [{visit_id, specs, at, error}] waiting to be written. */
export function heldWrites() {
  try {
    return JSON.parse(localStorage.getItem(HELD) || "[]");
  } catch {
    return [];
  }
}

export function saveHeld(list) {
  try {
    if (list.length) localStorage.setItem(HELD, JSON.stringify(list));
    else localStorage.removeItem(HELD);
    return true;
  } catch {
    return false;
  }
}
