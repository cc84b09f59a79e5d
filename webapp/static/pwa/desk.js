// Desk rules of the coordinator's desk: already recorded, printing, corrections (docs/desk.md).
// A mirror of fieldsync/desk.py; the shared vectors hold them equal.

const get = (obj, key) =>
  obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;

/** Outcomes that are not a recording: the last one stands until a `recorded`. */
export const NOT_RECORDED = new Set(["failed", "already_recorded"]);

/** A printed card stays printed; a `not_printed` (with its reason) holds until one is printed. */
export function applyPrint(st, ev) {
  if (st.print !== "printed") {
    st.print = get(ev, "result");
    st.print_reason = get(ev, "reason");
  }
}

/** A coordinator's correction sets its field outright over every event before it in the order. */
export function applyCorrection(st, ev) {
  const name = get(ev, "field");
  const value = get(ev, "value");
  const at = get(ev, "at");
  if (name === "outcome") {
    st.outcome = value;
    st.outcome_at = value !== null ? at : null;
    st.reason = value === "failed" ? get(ev, "failure_reason") : null;
    // A corrected "recorded" is the standing record a later recording would duplicate.
    st._recordedEvent = value === "recorded" ? ev.id : null;
    if (value !== null) st._present = true; // an outcome means the student came
  } else if (name === "ikd") {
    st.ikd = value;
    st.ikd_reason = null;
  }
  st.corrections.push({ id: ev.id, field: name, value, reason: get(ev, "reason"), at });
}
