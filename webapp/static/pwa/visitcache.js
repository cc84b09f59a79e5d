// The visit on screen, kept in memory (issue 15): its event records and its fold, updated by
// the writes of this tab, so an action refolds the students it touches, not the whole visit
// (foldinc.js). db.js reports every write here; a write from another tab (BroadcastChannel) or a
// new roster drops the cache.

import { FoldCache } from "./foldinc.js";
import { foldNik, rosterKey } from "./niktag.js";

/** A walk-in as the fold compares it: by the server's opaque NIK key (SECURITY.md). */
export const foldable = (ev) => (ev.type === "walkin" && ev.student && typeof ev.student === "object"
  ? { ...ev, student: { ...ev.student, nik: foldNik(ev.student) } } : ev);

let cached = null; // {vid, roster, recs: Map id -> record, folds: FoldCache}
let writes = 0; // a read that overlapped a write may have missed it: it is not kept
export const inFold = (rec) => rec.status !== "rejected";

export function studentKeys(roster) {
  const students = {};
  for (const s of roster.students) students[s.id] = rosterKey(s.nik_key);
  return students;
}

/** Records this tab just wrote: the cache takes them in and refolds whom they touch. */
export function cacheWrote(vid, recs) {
  writes += 1;
  if (!cached || cached.vid !== vid) return;
  const removed = [];
  const added = [];
  for (const rec of recs) {
    const old = cached.recs.get(rec.id);
    cached.recs.set(rec.id, rec);
    if (old && inFold(old) && !inFold(rec)) removed.push(rec.id);
    else if (inFold(rec) && (!old || !inFold(old) || old.ev !== rec.ev)) added.push(foldable(rec.ev));
  }
  cached.folds.apply({ removed, added });
}

/** Forget the cached visit (`vid`, or whichever is cached). */
export function dropCache(vid = null) {
  writes += 1;
  if (!vid || (cached && cached.vid === String(vid))) cached = null;
}

/** The cached visit, or a fresh read of it (`read()` -> [roster, records]). */
export async function cachedVisit(vid, read) {
  for (let attempt = 1; ; attempt++) {
    if (cached && cached.vid === vid) return cached;
    const before = writes;
    const [roster, recs] = await read();
    if (!roster) return null;
    const fresh = { vid, roster, recs: new Map(recs.map((r) => [r.id, r])),
      folds: new FoldCache(studentKeys(roster), recs.filter(inFold).map((r) => foldable(r.ev)),
        { closed: roster.visit.status === "closed" }) };
    if (writes === before) cached = fresh;
    // Writes keep coming (a busy link): use this read once, keep nothing, read again next time.
    if (writes === before || attempt >= 3) return fresh;
  }
}

