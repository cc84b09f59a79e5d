// Desk rules the fold applies: call arbitration and the second recording (docs/phone-link.md).
// Mirror of fieldsync/arbitration.py.

const get = (obj, key) =>
  obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;

/** A second recorded outcome (not annulled) is a duplicate record in the national system. */
export const recordedTwice = (current, result) => current === "recorded" && result === "recorded";

/** A call stands if none stands yet, it comes from the same desk, or it `replaces` the standing one. */
export const callTakesOver = (standing, call) =>
  standing === null || get(call, "station") === get(standing, "station") || get(call, "replaces") === standing.id;

/** Of two calls made without seeing each other the earlier in the total order stands. */
export function applyCall(st, ev) {
  if (callTakesOver(st._call, ev)) {
    st._call = ev;
    st._recorders = new Set();
    st.station = get(ev, "station");
    st.called_at = get(ev, "at");
    st.call_id = ev.id;
  } else if (st._call.device_id !== ev.device_id) {
    // The losing desk learns it from the fold; a conflict only if both desks record
    // (the standing desk may have recorded before the losing call was made).
    const standing = st._call.device_id;
    st._contests.push({ standing: st._call, losing: ev, recordedBy: new Set(st._recorders.has(standing) ? [standing] : []) });
  }
}

/** Return the contests whose two desks have now both recorded an outcome. */
export function noteOutcome(st, ev) {
  st._recorders.add(ev.device_id);
  const done = [];
  for (const { standing, losing, recordedBy } of st._contests) {
    if (ev.device_id === standing.device_id || ev.device_id === losing.device_id) recordedBy.add(ev.device_id);
    if (recordedBy.size === 2) done.push([standing.id, losing.id]);
  }
  return done;
}

/**
 * Ids of the live calls (sorted in total order, none annulled) that lost to an open call of
 * another desk; `canon` maps a walk-in alias to its student. The desk that made one is told.
 */
export function losingCalls(live, canon = (sid) => sid) {
  const open = new Map();
  const lost = new Set();
  for (const ev of live) {
    if (typeof ev.student_id !== "string") continue;
    const sid = canon(ev.student_id);
    if (ev.type === "call") {
      if (callTakesOver(open.has(sid) ? open.get(sid) : null, ev)) open.set(sid, ev);
      else lost.add(ev.id);
    }
  }
  return lost;
}
