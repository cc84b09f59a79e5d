// The JavaScript fold against every shared vector (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fold, canonicalJson } from "../../webapp/static/pwa/fold.js";

const dir = new URL("../vectors/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const FIVE = ["attendance", "ticket", "outcome", "reason", "ikd"];
const load = (f) => JSON.parse(readFileSync(new URL(f, dir), "utf8"));
const run = (v, events = v.events) => fold(events, v.students, { closed: Boolean(v.closed) });
const pairs = (items) => items.map((c) => `${c.code} ${c.student_id}`).sort();
const pick = (obj, keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]));

// A small seeded generator so that shuffles are reproducible.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function shuffled(list, rand) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test("there are vectors: the 7 shared ones and our own", () => {
  assert.ok(files.length >= 13, `only ${files.length} vectors`);
});

for (const file of files) {
  test(`vector ${file}`, () => {
    const v = load(file);
    const r = run(v);
    assert.deepEqual(Object.keys(r.students).sort(), Object.keys(v.expected).sort());
    for (const [sid, expected] of Object.entries(v.expected)) {
      assert.deepEqual(pick(r.students[sid], FIVE), expected, sid);
    }
    assert.deepEqual(r.aliases, v.aliases ?? {});
    assert.deepEqual(pairs(r.conflicts), pairs(v.conflicts));
    for (const [sid, detail] of Object.entries(v.expected_detail ?? {})) {
      assert.deepEqual(pick(r.students[sid], Object.keys(detail)), detail, sid);
    }
    if (v.info) assert.deepEqual(pairs(r.info), pairs(v.info));
  });

  test(`vector ${file} in any delivery order, with duplicates`, () => {
    const v = load(file);
    const expected = JSON.stringify(run(v));
    const rand = rng(file.length * 7919);
    for (let i = 0; i < 20; i++) {
      const dup = v.events.filter(() => rand() < 0.5).map((e) => JSON.parse(JSON.stringify(e)));
      assert.equal(JSON.stringify(run(v, shuffled([...v.events, ...dup], rand))), expected);
    }
  });
}

test("students as a list or as an object {id: nik}", () => {
  const v = load("walk_in_registered_twice.json");
  assert.deepEqual(fold(v.events, ["s9"]), fold(v.events, { s9: null }));
});

test("result has the documented shape", () => {
  const r = run(load("double_check_in_two_tickets.json"));
  assert.deepEqual(Object.keys(r), ["students", "aliases", "walkins", "conflicts", "info"]);
  assert.deepEqual(Object.keys(r.students.s1), [
    "attendance", "ticket", "outcome", "reason", "ikd", "ikd_reason", "station",
    "checked_in_at", "enqueued_at", "called_at", "call_id", "outcome_at", "notes", "conflicts", "consent",
    "print", "print_reason", "corrections",
  ]);
  assert.deepEqual(r.conflicts, [
    { code: "double_ticket", student_id: "s1", events: ["hpA:2", "hpB:2"] },
  ]);
  assert.deepEqual(r.info, [
    { code: "repeat_checkin", student_id: "s1", events: ["hpA:1", "hpB:1"] },
  ]);
});

test("a student id of __proto__ is an ordinary key", () => {
  const ev = { id: "a:1", device_id: "a", seq: 1, hlc: "0000000000001-0000", at: "x",
    type: "checkin", student_id: "__proto__" };
  const r = fold([ev], ["__proto__"]);
  assert.equal(Object.getPrototypeOf(r.students), Object.prototype);
  assert.equal(r.students["__proto__"].attendance, "present");
  assert.equal(JSON.parse(JSON.stringify(r)).students["__proto__"].attendance, "present");
});

test("junk events are skipped, not thrown on", () => {
  const r = fold([null, 5, "x", [], { id: 1 }, { id: "a:1", type: "checkin" }], ["s1"]);
  assert.equal(r.students.s1.attendance, "not_arrived");
});

test("canonicalJson sorts keys like Python's json.dumps(sort_keys=True)", () => {
  assert.equal(canonicalJson({ b: [1, { d: null, c: true }], a: "é\n" }),
    '{"a":"é\\n","b":[1,{"c":true,"d":null}]}');
});
