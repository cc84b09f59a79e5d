// Desk rules the fold applies: call arbitration and the second recording (docs/phone-link.md).
// Mirror of fieldsync/arbitration.py.

const get = (obj, key) =>
  obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;

/** A second recorded outcome (not annulled) is a duplicate record in the national system. */
export const recordedTwice = (current, result) => current === "recorded" && result === "recorded";

/** A call stands if no call is open, it comes from the same desk, or it `replaces` the open one. */
export const callTakesOver = (standing, call) =>
  standing === null || get(call, "station") === get(standing, "station") || get(call, "replaces") === standing.id;

/** Of two calls made without seeing each other the earlier in the total order stands. */
export function applyCall(st, ev) {
  if (callTakesOver(st._call, ev)) {
    st._call = ev;
    st.station = get(ev, "station");
    st.called_at = get(ev, "at");
    st.call_id = ev.id;
  } else if (st._call.device_id !== ev.device_id) {
    // The losing desk learns it from the fold; a conflict only if both desks record.
    st._contests.push({ standing: st._call, losing: ev, recordedBy: new Set() });
  }
}

/** An outcome ends the open call; return the contests whose two desks have now both recorded. */
export function closeCall(st, ev) {
  st._call = null;
  const done = [];
  for (const { standing, losing, recordedBy } of st._contests) {
    if (ev.device_id === standing.device_id || ev.device_id === losing.device_id) recordedBy.add(ev.device_id);
    if (recordedBy.size === 2) done.push([standing.id, losing.id]);
  }
  return done;
}
