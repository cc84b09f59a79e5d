// What a queue display may hold, and its fold (docs/phone-link.md, "The TV display"). The same
// filter as the server's display feed (webapp/sync/display.py `_for_display`): tickets, desks,
// calls and undo targets; never a name, a NIK, a note or a free-text reason. A phone applies it
// before anything goes out on a display link, so a display never holds a student's name. Pure.

import { fold } from "./fold.js";
import { rosterKey } from "./niktag.js";

// Keep in step with EVENT_FIELDS and QUEUE_REASONS of webapp/sync/display.py.
export const EVENT_FIELDS = ["id", "device_id", "seq", "hlc", "at", "type", "student_id", "ticket", "station",
  "target", "replaces", "result", "given", "field", "value"];
const QUEUE_REASONS = ["skip", "call_lost"];
const REASONED = ["outcome", "print", "correction"];

/** An event cut down to what the queue display needs. */
export function forDisplay(ev) {
  const out = {};
  for (const k of EVENT_FIELDS) if (Object.prototype.hasOwnProperty.call(ev, k)) out[k] = ev[k];
  if (ev.type === "undo" && QUEUE_REASONS.includes(ev.reason)) out.reason = ev.reason;
  else if (REASONED.includes(ev.type) && typeof ev.reason === "string") out.reason = "-"; // its words are not the TV's
  const s = ev.student;
  if (ev.type === "walkin" && s && typeof s === "object") {
    // Only the server's opaque key: a NIK typed on this phone never leaves for a display.
    out.student = { id: s.id, nik_key: typeof s.nik_key === "string" && s.nik_key ? s.nik_key : null };
  }
  return out;
}

/** The visit as a display shows it: {visit, events, folded}; `students` maps id -> nik key (compared as the phones do). */
export function displayData(visit, events, students) {
  const foldable = events.map((ev) => (ev.type === "walkin" && ev.student
    ? { ...ev, student: { ...ev.student, nik: rosterKey(ev.student.nik_key) } } : ev));
  const keys = Object.fromEntries(Object.entries(students || {}).map(([sid, key]) => [sid, rosterKey(key)]));
  return { visit, events, folded: fold(foldable, keys, { closed: false }) };
}

/** A visit's header for a display: school name and desks, nothing of its students. */
export function displayVisit(visit, schoolName) {
  return { id: visit.id, school: schoolName, stations: Number(visit.stations) || 1, status: "open" };
}
