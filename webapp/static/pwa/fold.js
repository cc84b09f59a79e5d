// The fold: every student's derived state as a pure function of the set of sync events.
// A line-by-line mirror of fieldsync/fold.py; the cross-language test holds them equal,
// key for key and in the same order. No dependencies, runs in the browser and in node.

import { applyCall, noteOutcome, recordedTwice } from "./arbitration.js";
import { NOT_RECORDED, applyCorrection, applyPrint } from "./desk.js";
import { compareEvents, compareStrings } from "./hlc.js";

const PRESENCE_TYPES = new Set(["checkin", "enqueue", "call", "outcome", "print"]);
const CONFLICT_CODES = new Set([
  "double_ticket", "recorded_then_failed", "walkin_duplicate", "recorded_twice", "double_call",
]);
const INFO_CODES = new Set(["repeat_checkin"]);

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
// Python's dict.get: an own property or null, never something inherited from Object.prototype.
const get = (obj, key) => (obj !== null && typeof obj === "object" && has(obj, key) ? obj[key] : null);

// Plain assignment of "__proto__" would change the prototype instead of adding a key.
function setKey(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const clone = (value) => JSON.parse(JSON.stringify(value));

/** Key-sorted compact JSON, the same text as fieldsync.fold.canonical_json for JSON data. */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort(compareStrings);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

function wellFormed(ev) {
  // The fold trusts validation, but skipping junk keeps the order key well-typed.
  return (
    ev !== null &&
    typeof ev === "object" &&
    !Array.isArray(ev) &&
    typeof get(ev, "id") === "string" &&
    typeof get(ev, "hlc") === "string" &&
    typeof get(ev, "device_id") === "string" &&
    typeof get(ev, "type") === "string" &&
    Number.isInteger(get(ev, "seq"))
  );
}

/** Map id -> event; on an id carried by two different events keep the smaller canonical JSON. */
export function dedupe(events) {
  const byId = new Map();
  for (const ev of events) {
    if (!wellFormed(ev)) continue;
    const seen = byId.get(ev.id);
    if (seen === undefined || (seen !== ev && compareStrings(canonicalJson(ev), canonicalJson(seen)) < 0)) {
      byId.set(ev.id, ev);
    }
  }
  return byId;
}

/** Ids annulled by an undo; an undo whose target is an undo (or absent) annuls nothing. */
export function annulledIds(byId) {
  const out = new Set();
  for (const ev of byId.values()) {
    if (ev.type !== "undo") continue;
    const targetId = get(ev, "target");
    const target = typeof targetId === "string" ? byId.get(targetId) : undefined;
    if (target !== undefined && target.type !== "undo") out.add(target.id);
  }
  return out;
}

function nikOf(student) {
  const nik = get(student, "nik");
  return typeof nik === "string" && nik !== "" ? nik : null;
}

/** A later enqueue conflicts only if it hands out another ticket than the standing one. */
export const ticketConflict = (standingEvent, standingTicket, newTicket) =>
  standingEvent !== null && newTicket !== standingTicket;

/** A failed (or already recorded) after recorded conflicts; failed then recorded is a retry. */
export const outcomeConflict = (current, result) => current === "recorded" && NOT_RECORDED.has(result);

/** The student a walk-in's NIK already belongs to, or null (a new student). */
export const aliasTarget = (nik, niks) => (nik !== null && niks.has(nik) ? niks.get(nik) : null);

function newState() {
  return {
    attendance: "not_arrived",
    ticket: null,
    outcome: null,
    reason: null,
    ikd: null,
    ikd_reason: null,
    station: null,
    checked_in_at: null,
    enqueued_at: null,
    called_at: null,
    call_id: null,
    outcome_at: null,
    notes: [],
    conflicts: [],
    consent: null, // recorded at the gate (docs/consent.md); null: nothing recorded
    print: null, // printed | not_printed (docs/desk.md)
    print_reason: null,
    corrections: [],
    // Working fields, never exported.
    _present: false,
    _checkins: [],
    _ticketEvent: null,
    _recordedEvent: null,
    _call: null,
    _contests: [],
    _recorders: new Set(),
  };
}

function exportState(st) {
  const out = {};
  for (const key of Object.keys(st)) if (!key.startsWith("_")) out[key] = st[key];
  return out;
}

function addIssue(issues, code, sid, ...eventIds) {
  // Keyed by [code, sid]; a Set keeps insertion (= total) order.
  const key = JSON.stringify([code, sid]);
  if (!issues.has(key)) issues.set(key, { code, sid, ids: new Set() });
  const ids = issues.get(key).ids;
  for (const eid of eventIds) if (eid !== null && eid !== undefined) ids.add(eid);
}

function resolveWalkins(walkinEvents, states, niks, issues) {
  const walkins = new Map();
  const aliases = new Map();
  const origin = new Map();
  for (const ev of walkinEvents) {
    const student = get(ev, "student");
    const wid = get(student, "id");
    // A second walk-in reusing a known id (or an alias) changes nothing.
    if (typeof wid !== "string" || wid === "" || states.has(wid) || aliases.has(wid)) continue;
    const nik = nikOf(student);
    const canonical = aliasTarget(nik, niks);
    if (canonical !== null) {
      aliases.set(wid, canonical);
      addIssue(issues, "walkin_duplicate", canonical, origin.get(canonical), ev.id);
      continue;
    }
    states.set(wid, newState());
    walkins.set(wid, clone(student));
    origin.set(wid, ev.id);
    if (nik !== null) niks.set(nik, wid);
  }
  return { walkins, aliases };
}

function apply(st, ev, sid, issues) {
  const kind = ev.type;
  const eid = ev.id;
  const at = get(ev, "at");
  if (PRESENCE_TYPES.has(kind)) st._present = true;
  if (kind === "checkin") {
    st._checkins.push(eid);
    if (st._checkins.length === 1) st.checked_in_at = at;
    else addIssue(issues, "repeat_checkin", sid, st._checkins[0], eid);
  } else if (kind === "enqueue") {
    if (ticketConflict(st._ticketEvent, st.ticket, get(ev, "ticket"))) {
      addIssue(issues, "double_ticket", sid, st._ticketEvent, eid);
    } else if (st._ticketEvent === null) {
      st.ticket = get(ev, "ticket");
      st.enqueued_at = at;
      st._ticketEvent = eid;
    }
  } else if (kind === "call") {
    applyCall(st, ev);
  } else if (kind === "outcome") {
    const result = get(ev, "result");
    for (const [standingId, losingId] of noteOutcome(st, ev)) addIssue(issues, "double_call", sid, standingId, losingId);
    if (recordedTwice(st.outcome, result)) {
      addIssue(issues, "recorded_twice", sid, st._recordedEvent, eid);
    } else if (outcomeConflict(st.outcome, result)) {
      addIssue(issues, "recorded_then_failed", sid, st._recordedEvent, eid);
    } else if (result === "recorded" && st.outcome !== "recorded") {
      // The first recorded sets the outcome; later ones change nothing.
      st.outcome = "recorded";
      st.reason = null;
      st.outcome_at = at;
      st._recordedEvent = eid;
    } else if (NOT_RECORDED.has(result)) {
      st.outcome = result;
      st.reason = get(ev, "reason");
      st.outcome_at = at;
    }
  } else if (kind === "ikd") {
    st.ikd = get(ev, "status");
    st.ikd_reason = get(ev, "reason");
  } else if (kind === "note") {
    st.notes.push({ id: eid, device_id: ev.device_id, at, text: get(ev, "text") });
  } else if (kind === "consent") {
    applyConsent(st, ev);
  } else if (kind === "print") {
    applyPrint(st, ev);
  } else if (kind === "correction") {
    applyCorrection(st, ev);
  }
}

/** Consent recorded at the gate: the last `consent` event in the total order holds. */
export function applyConsent(st, ev) {
  st.consent = get(ev, "given");
}

function compareArrays(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

function issueList(issues, codes) {
  const out = [];
  for (const { code, sid, ids } of issues.values()) {
    if (codes.has(code)) out.push({ code, student_id: sid, events: [...ids] });
  }
  out.sort(
    (a, b) =>
      compareStrings(a.code, b.code) ||
      compareStrings(a.student_id, b.student_id) ||
      compareArrays(a.events, b.events),
  );
  return out;
}

function normaliseStudents(students) {
  // The vectors give a plain list of ids; the server gives {id: nik or null}. Ids are strings.
  const out = new Map();
  if (Array.isArray(students)) {
    for (const sid of students) out.set(String(sid), null);
  } else if (students) {
    for (const sid of Object.keys(students)) out.set(sid, students[sid]);
  }
  return out;
}

function sortedObject(map, value = (v) => v) {
  const out = {};
  for (const key of [...map.keys()].sort(compareStrings)) setKey(out, key, value(map.get(key)));
  return out;
}

/** Fold a set of events over the pre-registered students; same JSON as FoldResult.to_dict(). */
export function fold(events, students, { closed = false } = {}) {
  const registered = normaliseStudents(students);
  const byId = dedupe(events);
  const annulled = annulledIds(byId);
  const live = [...byId.values()].sort(compareEvents).filter((ev) => !annulled.has(ev.id));

  const states = new Map();
  for (const sid of registered.keys()) states.set(sid, newState());
  const niks = new Map();
  // Sorted so that two pre-registered students sharing a NIK resolve the same everywhere.
  for (const sid of [...registered.keys()].sort(compareStrings)) {
    const nik = registered.get(sid);
    if (typeof nik === "string" && nik !== "" && !niks.has(nik)) niks.set(nik, sid);
  }

  const issues = new Map();
  const walkinEvents = live.filter((ev) => ev.type === "walkin");
  const { walkins, aliases } = resolveWalkins(walkinEvents, states, niks, issues);

  for (const ev of live) {
    let sid = get(ev, "student_id");
    if (ev.type === "walkin" || ev.type === "undo" || typeof sid !== "string") continue;
    if (aliases.has(sid)) sid = aliases.get(sid);
    const st = states.get(sid);
    if (st !== undefined) apply(st, ev, sid, issues);
  }

  const conflicts = issueList(issues, CONFLICT_CODES);
  for (const c of conflicts) {
    const st = states.get(c.student_id);
    if (!st.conflicts.includes(c.code)) st.conflicts.push(c.code);
  }
  for (const st of states.values()) {
    st.conflicts.sort(compareStrings);
    st.attendance = st._present ? "present" : closed ? "absent" : "not_arrived";
  }

  return {
    students: sortedObject(states, exportState),
    aliases: sortedObject(aliases),
    walkins: sortedObject(walkins),
    conflicts,
    info: issueList(issues, INFO_CODES),
  };
}
