// Which students a set of new events touches: mirror of fieldsync/touch.py (docs/sync-algorithm.md
// §8). The fold couples students in two ways only: an `undo` acts on the student of its target,
// and walk-ins sharing a NIK (or an id) resolve against each other and against the pre-registered
// student of that NIK. So the fold of a set of students closed under those couplings, fed every
// event naming any of them, gives exactly what the full fold gives for them. Pure.

const str = (v) => typeof v === "string" && v !== "";
const own = (obj, key) => (obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null);

/** The student ids an event names itself: its `student_id`, or a walk-in's own id. */
export function namedIds(ev) {
  const out = new Set();
  if (ev === null || typeof ev !== "object") return out;
  const sid = own(ev, "student_id");
  if (str(sid)) out.add(sid);
  const student = own(ev, "student");
  if (own(ev, "type") === "walkin" && student !== null && typeof student === "object" && str(own(student, "id"))) out.add(student.id);
  return out;
}

/** The event id an undo names, else null. */
export const undoTarget = (ev) => (own(ev, "type") === "undo" && typeof own(ev, "target") === "string" ? ev.target : null);

/** The NIK (on a phone: the opaque key) a walk-in event carries, else null. */
export function walkinNik(ev) {
  const student = own(ev, "type") === "walkin" ? own(ev, "student") : null;
  const nik = own(student, "nik");
  return str(nik) ? nik : null;
}

/** Ids named by the new events and, for their undos, by the targets found in `targets` (id -> event). */
export function seedIds(newEvents, targets) {
  const out = new Set();
  for (const ev of newEvents) {
    for (const sid of namedIds(ev)) out.add(sid);
    const target = targets.get(undoTarget(ev));
    if (target !== undefined) for (const sid of namedIds(target)) out.add(sid);
  }
  return out;
}

/** The smallest superset of `seed` closed under `expand(frontier) -> coupled ids`. */
export function closure(seed, expand) {
  const done = new Set();
  let frontier = new Set(seed);
  while (frontier.size) {
    for (const sid of frontier) done.add(sid);
    const next = new Set();
    for (const sid of expand(frontier)) if (!done.has(sid)) next.add(sid);
    frontier = next;
  }
  return done;
}
