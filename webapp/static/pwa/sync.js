// The sync loop of protocol.md: send the outbox in batches, store the server's answer, pull
// other devices' events. Storage and HTTP are passed in (IndexedDB + fetch in the browser, plain
// objects in the node tests), so this file has no dependencies.
//
// Nothing leaves the outbox before the server's answer names it as accepted, duplicate or
// rejected: closing the tab mid-sync only means the next sync resends (idempotent by id).

export const DEFAULT_BATCH = 200;

export class SyncError extends Error {
  constructor(code, detail = "", status = 0) {
    super(detail || code);
    this.code = code;
    this.status = status;
  }
}

/** Split the events we sent by the answer: which are done (synced / rejected), which remain. */
export function planAnswer(sentEvents, answer) {
  const accepted = new Set([...(answer.accepted || []), ...(answer.duplicates || [])]);
  const rejectedById = new Map((answer.rejected || []).map((r) => [r.id, r]));
  const synced = [];
  const rejected = [];
  const remaining = [];
  for (const ev of sentEvents) {
    if (accepted.has(ev.id)) synced.push(ev.id);
    else if (rejectedById.has(ev.id)) {
      const r = rejectedById.get(ev.id);
      rejected.push({ id: ev.id, code: r.code || "rejected", message: r.message || "", field: r.field || null });
    } else remaining.push(ev.id);
  }
  return { synced, rejected, remaining };
}

function statusError(res) {
  const body = res.body || {};
  if (res.status === 401) return new SyncError("unauthorized", body.message, 401);
  if (res.status === 403) return new SyncError("forbidden", body.message, 403);
  if (res.status === 404) return new SyncError("not_found", body.message, 404);
  if (res.status === 0) return new SyncError("offline", "", 0);
  return new SyncError("server", body.message || `HTTP ${res.status}`, res.status);
}

/**
 * Sync one visit until the outbox is empty and the server has nothing more for us.
 *
 * store: getDevice(), getSyncState(visitId), outbox(visitId, limit) -> wire events by seq,
 *        countOutbox(visitId), applyAnswer(visitId, sentEvents, answer) -> {handled, received}
 * api:   post(path, body) -> {status, body} (status 0 when the network failed)
 * A 413 halves the batch and tries again (down to one event per request).
 */
export async function syncVisit({ store, api, visitId, batch = DEFAULT_BATCH, onProgress = () => {} }) {
  const device = await store.getDevice();
  if (!device) throw new SyncError("no_device");
  const total = await store.countOutbox(visitId);
  let size = Math.max(1, Math.trunc(batch));
  let sent = 0;
  let received = 0;
  let rounds = 0;
  let pulled = false;
  let visitStatus = null;
  let purgeAfter = null;
  onProgress({ sent, total, received, batch: size });
  for (;;) {
    const events = await store.outbox(visitId, size);
    if (events.length === 0 && pulled) break;
    const state = (await store.getSyncState(visitId)) || {};
    const res = await api.post(`/api/v1/visits/${encodeURIComponent(visitId)}/sync`, {
      device_id: device.device_id,
      cursor: state.cursor ?? null,
      events,
    });
    if (res.status === 413) {
      if (size === 1) throw new SyncError("too_large", "", 413);
      // Halve what was really sent: a batch of 200 holding 7 events must drop to 3, not 100.
      size = Math.max(1, Math.floor(Math.min(size, events.length) / 2));
      continue;
    }
    if (res.status !== 200) throw statusError(res);
    const result = await store.applyAnswer(visitId, events, res.body || {});
    rounds += 1;
    // A server that answers 200 yet names none of our events would loop us forever.
    if (events.length > 0 && result.handled === 0) throw new SyncError("not_acknowledged", "", 200);
    sent += result.handled;
    received += result.received;
    pulled = !(res.body && res.body.more === true);
    visitStatus = (res.body && res.body.visit_status) || visitStatus;
    if (res.body && "purge_after" in res.body) purgeAfter = res.body.purge_after;
    onProgress({ sent, total: Math.max(total, sent), received, batch: size });
  }
  return { sent, received, rounds, batch: size, visitStatus, purgeAfter };
}

/**
 * UU PDP: a closed visit's roster leaves the phone once the server has every event of it
 * (nothing unsynced) and the grace period after closing (`purge_after`) has passed, so officers
 * can finish late work on a closed visit (docs/lifecycle.md). Rejected events are kept on the
 * server, so nothing is lost.
 */
export function shouldPurge(result, unsynced, now = Date.now()) {
  if (!result || result.visitStatus !== "closed" || unsynced !== 0) return false;
  return !result.purgeAfter || now >= Date.parse(result.purgeAfter);
}

/** Sync every visit that has something to send (or all `visitIds`), one after another. */
export async function syncAll({ store, api, visitIds, batch, onProgress }) {
  const results = {};
  for (const visitId of visitIds) {
    results[visitId] = await syncVisit({ store, api, visitId, batch, onProgress: (p) => onProgress && onProgress(visitId, p) });
  }
  return results;
}
