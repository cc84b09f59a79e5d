// The queue, derived like everything else from the set of events (never stored as state):
// who waits (in check-in order = the total order of their standing `enqueue`), who is at which
// desk, who was skipped. "Skip" is an `undo` of the call with reason SKIP_REASON; "recall" is a
// new `call` that replaces the open one. A call that lost to another desk's earlier call
// (docs/phone-link.md) counts for nothing here; its desk annuls it with CALL_LOST_REASON.
// Pure (node-tested); uses the fold's own order, undo and arbitration rules.

import { losingCalls } from "./arbitration.js";
import { annulledIds, dedupe } from "./fold.js";
import { compareEvents } from "./hlc.js";

export const SKIP_REASON = "skip";
export const CALL_LOST_REASON = "call_lost";

function sorted(events) {
  const byId = dedupe(events);
  const annulled = annulledIds(byId);
  const all = [...byId.values()].sort(compareEvents);
  return { all, live: all.filter((ev) => !annulled.has(ev.id)), annulled, byId };
}

/**
 * Derive the queue from all known events and the fold's result (for tickets, outcomes and
 * aliases). Returns {waiting, skipped, desks, byStudent}.
 */
export function deriveQueue(events, folded, stations) {
  const { all, live, annulled, byId } = sorted(events);
  const aliases = folded.aliases || {};
  const canon = (sid) => (Object.prototype.hasOwnProperty.call(aliases, sid) ? aliases[sid] : sid);
  const per = new Map();
  const info = (sid) => {
    if (!per.has(sid)) per.set(sid, { enqueue: null, lastCall: null, lastOutcome: null, skippedCall: null });
    return per.get(sid);
  };
  const lastCallAtDesk = new Map();
  const lostIds = losingCalls(live, canon);
  const lost = [];
  for (const ev of live) {
    if (typeof ev.student_id !== "string") continue;
    const sid = canon(ev.student_id);
    if (!folded.students[sid]) continue;
    const it = info(sid);
    if (ev.type === "enqueue" && it.enqueue === null) it.enqueue = ev;
    else if (ev.type === "call" && lostIds.has(ev.id)) lost.push({ ev, sid });
    else if (ev.type === "call") {
      it.lastCall = ev;
      lastCallAtDesk.set(ev.station, { student_id: sid, ticket: folded.students[sid].ticket, call_id: ev.id, at: ev.at, hlc: ev.hlc });
    } else if (ev.type === "outcome") {
      it.lastOutcome = ev;
      // A lost call its desk went on to record stays: it happened (double_call).
      for (const l of lost) if (l.sid === sid && l.ev.device_id === ev.device_id) l.recorded = true;
    }
  }
  // A call undone with the skip reason marks the student skipped, until a new call comes.
  for (const ev of all) {
    if (ev.type !== "undo" || ev.reason !== SKIP_REASON || annulled.has(ev.id)) continue;
    const target = byId.get(ev.target);
    if (!target || target.type !== "call" || typeof target.student_id !== "string") continue;
    const sid = canon(target.student_id);
    if (folded.students[sid]) info(sid).skippedCall = target;
  }

  const waiting = [];
  const skipped = [];
  const byStudent = new Map();
  const atDesk = new Map();
  for (const [sid, it] of per) {
    const st = folded.students[sid];
    const outcomeAfterCall = it.lastOutcome && (!it.lastCall || compareEvents(it.lastOutcome, it.lastCall) > 0);
    let entry;
    if (it.lastCall && !outcomeAfterCall && st.outcome !== "recorded") {
      entry = { status: "called", station: it.lastCall.station, call: it.lastCall };
      if (!atDesk.has(entry.station)) atDesk.set(entry.station, []);
      atDesk.get(entry.station).push({ student_id: sid, ticket: st.ticket, call_id: it.lastCall.id, call: it.lastCall });
    } else if (st.outcome !== null || it.lastCall) {
      entry = { status: "done", station: st.station };
    } else if (it.skippedCall) {
      entry = { status: "skipped", station: it.skippedCall.station };
      skipped.push({ student_id: sid, ticket: st.ticket, station: it.skippedCall.station, order: it.enqueue || it.skippedCall });
    } else if (st.ticket !== null && it.enqueue) {
      entry = { status: "waiting", station: null };
      waiting.push({ student_id: sid, ticket: st.ticket, order: it.enqueue });
    } else {
      entry = { status: "none", station: null };
    }
    entry.callId = it.lastCall ? it.lastCall.id : null;
    byStudent.set(sid, entry);
  }
  waiting.sort((a, b) => compareEvents(a.order, b.order));
  skipped.sort((a, b) => compareEvents(a.order, b.order));
  waiting.forEach((w, i) => {
    byStudent.get(w.student_id).position = i + 1;
  });

  const desks = [];
  for (let station = 1; station <= stations; station++) {
    const here = (atDesk.get(station) || []).sort((a, b) => compareEvents(b.call, a.call));
    desks.push({ station, current: here[0] || null, others: here.slice(1), lastCall: lastCallAtDesk.get(station) || null });
  }
  return { waiting, skipped, desks, byStudent, lost: lost.filter((l) => !l.recorded).map((l) => l.ev) };
}

/** A call event spec; a re-call, a move or a retry names the standing call it replaces. */
export function callSpec(queue, studentId, station) {
  const entry = queue.byStudent.get(studentId);
  const spec = { type: "call", student_id: studentId, station };
  if (entry && entry.callId) spec.replaces = entry.callId;
  return spec;
}

/** This device's calls that lost to another desk (none recorded on): it annuls them, calls the next. */
export const myLostCalls = (queue, deviceId) => queue.lost.filter((ev) => ev.device_id === deviceId);

/** The student "Panggil berikutnya" calls: the first in the waiting line, or null. */
export function nextWaiting(queue) {
  return queue.waiting.length ? queue.waiting[0] : null;
}

/** For the queue display: per desk the last call (ticket, time), and the next tickets. */
export function displayModel(queue, upcoming = 8) {
  return {
    desks: queue.desks.map((d) => ({
      station: d.station, ticket: d.lastCall ? d.lastCall.ticket : null, call_id: d.lastCall ? d.lastCall.call_id : null,
    })),
    next: queue.waiting.slice(0, upcoming).map((w) => w.ticket),
    waitingCount: queue.waiting.length,
  };
}
