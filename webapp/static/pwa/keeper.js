// The phone's data keeper: every action goes through act(), a failed write is held (never
// dropped) and shown at once; persistent storage at sign-in; a space warning; a lost or rolled-back
// database detected at start-up. Background Sync is never relied on (docs/pwa.md).

import { authed } from "./api.js";
import { appendEvents, getDevice, getMeta, raiseSeq, setMeta } from "./db.js";
import { t } from "./i18n.js";
import { assessDatabase, clearMarker, heldWrites, lostEvents, readMarker, requestPersist, saveHeld, storageNow, writeMarker } from "./storage.js";

export const events = new EventTarget();
let memoryHeld = null; // when localStorage refuses too, the held writes live here until written
let space = null;
let booting = Promise.resolve(); // the start-up check: no event is written before it settles
let spaceAt = 0;

const emit = () => events.dispatchEvent(new CustomEvent("change"));

/** The writes waiting to be stored (after a failure). */
export const held = () => memoryHeld || heldWrites();

function hold(list) {
  memoryHeld = saveHeld(list) ? null : list;
  emit();
}

/** Append events; on failure hold them (localStorage or memory), report, and return null. */
export async function act(vid, specs) {
  await booting.catch(() => null);
  try {
    const created = await appendEvents(vid, specs);
    remember(created);
    checkSpace();
    return created;
  } catch (e) {
    const error = (e && e.name) || "Error";
    hold([...held(), { visit_id: String(vid), specs, at: new Date().toISOString(), error }]);
    checkSpace(true);
    return null;
  }
}

/** Try the held writes again, oldest first; returns how many are still waiting. */
export async function retryHeld() {
  const list = held();
  const left = [];
  for (const item of list) {
    if (left.length) {
      left.push(item); // keep their order: nothing jumps ahead of an earlier failed write
      continue;
    }
    try {
      remember(await appendEvents(item.visit_id, item.specs, { at: item.at }));
    } catch (e) {
      left.push({ ...item, error: (e && e.name) || "Error" });
    }
  }
  hold(left);
  await checkSpace(true);
  return left.length;
}

function remember(created) {
  const last = created && created[created.length - 1];
  if (!last) return;
  const marker = readMarker();
  const same = marker && marker.device_id === last.device_id;
  // Another tab may have written a higher seq already: the marker only moves forward.
  writeMarker({ ...(same ? marker : {}), device_id: last.device_id, seq: Math.max(last.seq, same ? marker.seq || 0 : 0) });
}

/** The storage figures, re-read at most every 20 s unless `force`. */
export async function checkSpace(force = false) {
  if (force || !space || Date.now() - spaceAt > 20000) {
    space = await storageNow();
    spaceAt = Date.now();
    emit();
  }
  return space;
}

export const lastSpace = () => space;

/** At sign-in: ask for persistent storage, keep the answer, start the marker, settle a loss. */
export async function afterSignIn(device) {
  const previous = readMarker();
  await setMeta("persist", await requestPersist());
  writeMarker({ device_id: device.device_id, seq: 0 });
  if (previous && previous.device_id && previous.device_id !== device.device_id) {
    const res = await authed("GET", `/api/v1/devices/${encodeURIComponent(previous.device_id)}`, { timeout: 10000 });
    const serverSeq = res.status === 200 ? res.body.max_seq : null;
    await setMeta("loss", { kind: "lost", device_id: previous.device_id, seq: previous.seq || 0, server_seq: serverSeq,
      lost: serverSeq === null ? null : lostEvents(previous.seq, serverSeq),
      synced_at: previous.synced_at || null, at: new Date().toISOString() });
  }
  await checkSpace(true);
}

/**
 * Start-up check of the local database against the marker and (online) the server. A lost one
 * is shown on the sign-in screen; one behind continues numbering after the highest known seq.
 */
export function bootCheck({ askServer = true } = {}) {
  const check = checkDatabase({ askServer });
  // Only the local check gates writes: a slow network must not hold up the gate.
  if (!askServer) booting = check;
  return check;
}

async function checkDatabase({ askServer = true }) {
  const device = await getDevice();
  const marker = readMarker();
  let serverSeq = null;
  if (askServer && device && navigator.onLine) {
    const res = await authed("GET", `/api/v1/devices/${encodeURIComponent(device.device_id)}`, { timeout: 8000 });
    if (res.status === 200) serverSeq = res.body.max_seq;
  }
  const localSeq = device ? (await getMeta("seq")) || 0 : 0;
  const found = assessDatabase({ device, localSeq, marker, serverSeq });
  if (found.state === "behind") {
    await raiseSeq(found.seq);
    await setMeta("loss", { kind: "behind", seq: found.seq, local_seq: found.localSeq, server_seq: serverSeq, at: new Date().toISOString() });
  }
  checkSpace(true);
  emit();
  return found;
}

/** Forget the marker on a deliberate sign-out (nothing is lost then). */
export function signedOut() {
  clearMarker();
  saveHeld([]);
  memoryHeld = null;
}

/** The message of a found loss, with what to do. */
export function lossText(loss) {
  if (!loss) return null;
  if (loss.kind === "behind") return t("db_behind", { seq: loss.seq, local: loss.local_seq });
  if (loss.lost === null || loss.lost === undefined) return t("db_lost_unknown", { seq: loss.seq });
  return loss.lost > 0 ? t("db_lost_events", { n: loss.lost, seq: loss.seq }) : t("db_lost_none", { seq: loss.seq });
}
