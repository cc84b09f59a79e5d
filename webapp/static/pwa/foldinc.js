// The phone's fold, kept up to date one action at a time (issue 15): an action refolds the
// students its events touch (touch.js, the mirror of fieldsync/touch.py), not the whole visit.
// The result always equals fold() of every event (tests/js/foldinc.test.js holds it so after
// random sequences). Pure; db.js keeps one per visit on screen.

import { dedupe, fold } from "./fold.js";
import { compareStrings } from "./hlc.js";
import { closure, namedIds, seedIds, undoTarget, walkinNik } from "./touch.js";

const usable = (ev) => dedupe([ev]).size === 1; // the fold skips what is not well formed

function compareIssues(a, b) {
  const c = compareStrings(a.code, b.code) || compareStrings(a.student_id, b.student_id);
  if (c) return c;
  for (let i = 0; i < Math.min(a.events.length, b.events.length); i++) {
    const e = compareStrings(a.events[i], b.events[i]);
    if (e) return e;
  }
  return a.events.length - b.events.length;
}

function setKey(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function sortedCopy(obj) {
  const out = {};
  for (const key of Object.keys(obj).sort(compareStrings)) setKey(out, key, obj[key]);
  return out;
}

export class FoldCache {
  /** `students`: {id: nik or null} (on a phone, the server's opaque key); `events`: all of them. */
  constructor(students, events = [], { closed = false } = {}) {
    // The vectors give a plain list of ids; a phone gives {id: nik key or null}.
    this.registered = Array.isArray(students) ? new Map(students.map((sid) => [String(sid), null]))
      : new Map(Object.entries(students || {}));
    this.closed = closed;
    this.byId = new Map(); // id -> event
    this.naming = new Map(); // student id -> Set of event ids naming it
    this.undos = new Map(); // target id -> Set of undo ids
    this.byNik = new Map(); // nik -> Set of student ids carrying it
    for (const [sid, nik] of this.registered) if (typeof nik === "string" && nik) this.index(this.byNik, nik, sid);
    for (const ev of events) this.insert(ev);
    this.result = fold([...this.byId.values()], Object.fromEntries(this.registered), { closed });
  }

  index(map, key, value) {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key).add(value);
  }

  insert(ev) {
    if (!usable(ev) || this.byId.has(ev.id)) return false;
    this.byId.set(ev.id, ev);
    for (const sid of namedIds(ev)) this.index(this.naming, sid, ev.id);
    const target = undoTarget(ev);
    if (target !== null) this.index(this.undos, target, ev.id);
    const nik = walkinNik(ev);
    if (nik !== null) for (const sid of namedIds(ev)) this.index(this.byNik, nik, sid);
    return true;
  }

  unindex(map, key, value) {
    const set = map.get(key);
    if (!set) return;
    set.delete(value);
    if (!set.size) map.delete(key);
  }

  erase(id) {
    const ev = this.byId.get(id);
    if (ev === undefined) return null;
    this.byId.delete(id);
    for (const sid of namedIds(ev)) this.unindex(this.naming, sid, id);
    const target = undoTarget(ev);
    if (target !== null) this.unindex(this.undos, target, id);
    const nik = walkinNik(ev);
    if (nik !== null) {
      for (const sid of namedIds(ev)) {
        // The NIK still couples the id if another of its walk-ins (or its roster row) carries it.
        const still = this.registered.get(sid) === nik
          || [...(this.naming.get(sid) || [])].some((eid) => walkinNik(this.byId.get(eid)) === nik);
        if (!still) this.unindex(this.byNik, nik, sid);
      }
    }
    return ev;
  }

  /** Every student coupled to one of `frontier` (shared NIK, alias). */
  coupled(frontier, reverse) {
    const out = new Set();
    const aliases = this.result.aliases;
    for (const sid of frontier) {
      for (const alias of reverse.get(sid) || []) out.add(alias);
      const niks = new Set();
      const own = this.registered.get(sid);
      if (typeof own === "string" && own) niks.add(own);
      for (const eid of this.naming.get(sid) || []) {
        const nik = walkinNik(this.byId.get(eid));
        if (nik !== null) niks.add(nik);
      }
      for (const nik of niks) for (const other of this.byNik.get(nik) || []) out.add(other);
      if (Object.prototype.hasOwnProperty.call(aliases, sid)) out.add(aliases[sid]);
    }
    return out;
  }

  /**
   * Take events out (`removed`, ids) and in (`added`; an id already held is replaced); refold the
   * students they touch. Returns the set of refolded student ids.
   */
  apply({ removed = [], added = [] } = {}) {
    const changed = [];
    for (const id of removed) {
      const ev = this.erase(id);
      if (ev) changed.push(ev);
    }
    for (const ev of added) {
      const old = this.byId.get(ev && ev.id);
      if (old === ev) continue;
      if (old !== undefined) changed.push(this.erase(ev.id));
      if (this.insert(ev)) changed.push(ev);
    }
    if (!changed.length) return new Set();
    // Undo targets of the changed undos, as they stand now or stood before.
    const targets = new Map();
    for (const ev of changed) {
      const target = this.byId.get(undoTarget(ev));
      if (target !== undefined) targets.set(target.id, target);
    }
    const seed = seedIds(changed, targets);
    // A walk-in taken out or given another NIK still counts for the ids of its old NIK.
    for (const ev of changed) for (const sid of this.byNik.get(walkinNik(ev)) || []) seed.add(sid);
    // The aliases as they stand: an id whose canonical student is refolded is refolded too.
    const reverse = new Map();
    for (const [alias, canonical] of Object.entries(this.result.aliases)) this.index(reverse, canonical, alias);
    const ids = closure(seed, (frontier) => this.coupled(frontier, reverse));
    this.refold(ids);
    return ids;
  }

  refold(ids) {
    const eventIds = new Set();
    for (const sid of ids) {
      for (const eid of this.naming.get(sid) || []) {
        eventIds.add(eid);
        for (const uid of this.undos.get(eid) || []) eventIds.add(uid);
      }
    }
    const students = {};
    for (const sid of ids) if (this.registered.has(sid)) students[sid] = this.registered.get(sid);
    const part = fold([...eventIds].map((eid) => this.byId.get(eid)), students, { closed: this.closed });
    // A new object at the top: a result handed out before stays as it was.
    const prev = this.result;
    const next = { students: { ...prev.students }, aliases: { ...prev.aliases }, walkins: { ...prev.walkins } };
    let added = false;
    for (const key of ["students", "aliases", "walkins"]) {
      for (const sid of ids) delete next[key][sid];
      for (const [sid, value] of Object.entries(part[key])) {
        if (!Object.prototype.hasOwnProperty.call(prev[key], sid)) added = true;
        setKey(next[key], sid, value);
      }
      if (added) next[key] = sortedCopy(next[key]);
    }
    for (const key of ["conflicts", "info"]) {
      next[key] = prev[key].filter((c) => !ids.has(c.student_id)).concat(part[key]).sort(compareIssues);
    }
    this.result = next;
  }
}
