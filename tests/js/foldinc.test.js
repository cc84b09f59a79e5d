// The phone's incremental fold (foldinc.js, touch.js): after any sequence of events arriving,
// being replaced or taken out, it equals the full fold of what is held (the oracle).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fold } from "../../webapp/static/pwa/fold.js";
import { FoldCache } from "../../webapp/static/pwa/foldinc.js";
import { closure, namedIds, seedIds, undoTarget, walkinNik } from "../../webapp/static/pwa/touch.js";

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

test("touch.js says what fieldsync/touch.py says", () => {
  const walkin = { id: "a:1", type: "walkin", student: { id: "w1", nik: "k1" } };
  const call = { id: "a:2", type: "call", student_id: "s1", station: 1 };
  const undo = { id: "a:3", type: "undo", target: "a:2" };
  assert.deepEqual([...namedIds(walkin)], ["w1"]);
  assert.deepEqual([...namedIds(undo)], []);
  assert.equal(undoTarget(undo), "a:2");
  assert.equal(walkinNik(walkin), "k1");
  assert.equal(walkinNik(call), null);
  assert.deepEqual([...seedIds([undo, walkin], new Map([["a:2", call]]))].sort(), ["s1", "w1"]);
  const edges = { a: ["b"], b: ["c"], c: ["a"], d: ["e"] };
  assert.deepEqual([...closure(["a"], (f) => [...f].flatMap((x) => edges[x] || []))].sort(), ["a", "b", "c"]);
});

const STUDENTS = { s1: "k1", s2: "k2", s3: null, s4: "k4", s5: "k1" };
const NIKS = ["k1", "k2", "k3", "k5", null];
const TYPES = ["checkin", "enqueue", "call", "call", "outcome", "outcome", "ikd", "note", "consent", "walkin", "undo", "undo"];

/** A random event of a visit: students, walk-ins sharing NIKs, undos of anything. */
function randomEvent(rand, held, n) {
  const device = pick(rand, ["a", "b", "c"]);
  const seq = n;
  const hlc = `${1764205200000 + Math.floor(rand() * 100000)}-${String(Math.floor(rand() * 3)).padStart(4, "0")}`;
  const base = { id: `${device}:${seq}`, device_id: device, seq, hlc, at: "2026-11-27T01:00:00.000Z" };
  const walkinIds = held.filter((e) => e.type === "walkin").map((e) => e.student.id);
  const sid = pick(rand, [...Object.keys(STUDENTS), ...walkinIds, "w-new"]);
  const type = pick(rand, TYPES);
  if (type === "walkin") return { ...base, type, student: { id: rand() < 0.3 && walkinIds.length ? pick(rand, walkinIds) : `w${n}`, nik: pick(rand, NIKS), name: "X" } };
  if (type === "undo") return { ...base, type, target: held.length && rand() < 0.9 ? pick(rand, held).id : `z:${n}`, reason: "skip" };
  if (type === "enqueue") return { ...base, type, student_id: sid, ticket: pick(rand, ["A-001", "A-002", "B-001"]) };
  if (type === "call") return { ...base, type, student_id: sid, station: pick(rand, [1, 2]), ...(rand() < 0.3 && held.length ? { replaces: pick(rand, held).id } : {}) };
  if (type === "outcome") return { ...base, type, student_id: sid, result: pick(rand, ["recorded", "recorded", "failed"]), reason: "x" };
  if (type === "ikd") return { ...base, type, student_id: sid, status: "scanned" };
  if (type === "consent") return { ...base, type, student_id: sid, given: rand() < 0.5 };
  return { ...base, type, student_id: sid };
}

test("incremental == full after 600 random sequences of arrivals, replacements and removals", () => {
  let steps = 0;
  for (let run = 0; run < 600; run++) {
    const rand = rng(run + 1);
    const held = new Map();
    const cache = new FoldCache(STUDENTS, [], { closed: run % 7 === 0 });
    for (let n = 1; n <= 40; n++) {
      const r = rand();
      if (r < 0.1 && held.size) {
        const id = pick(rand, [...held.keys()]);
        held.delete(id);
        cache.apply({ removed: [id] });
      } else if (r < 0.2 && held.size) {
        // A held event in a new version (a walk-in gets the server's NIK key).
        const old = pick(rand, [...held.values()]);
        const ev = old.type === "walkin" ? { ...old, student: { ...old.student, nik: pick(rand, NIKS) } } : { ...old };
        held.set(ev.id, ev);
        cache.apply({ added: [ev] });
      } else {
        const batch = [];
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) batch.push(randomEvent(rand, [...held.values(), ...batch], n * 10 + k));
        for (const ev of batch) held.set(ev.id, ev);
        cache.apply({ added: batch });
      }
      const full = fold([...held.values()], STUDENTS, { closed: run % 7 === 0 });
      assert.deepEqual(cache.result, full, `run ${run} step ${n}`);
      steps += 1;
    }
  }
  assert.equal(steps, 600 * 40);
});

test("on every shared vector, events arriving one by one in any order give the vector's fold", () => {
  const dir = new URL("../vectors/", import.meta.url);
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    const v = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
    for (let seed = 1; seed <= 5; seed++) {
      const rand = rng(seed);
      const events = [...v.events].sort(() => rand() - 0.5);
      const cache = new FoldCache(v.students, [], { closed: Boolean(v.closed) });
      for (const ev of events) cache.apply({ added: [ev] });
      assert.deepEqual(cache.result, fold(v.events, v.students, { closed: Boolean(v.closed) }), `${f} seed ${seed}`);
    }
  }
});
