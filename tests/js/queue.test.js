// The queue derived from events (webapp/static/pwa/queue.js): order, calls, skip, recall, desks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fold } from "../../webapp/static/pwa/fold.js";
import { SKIP_REASON, callSpec, deriveQueue, displayModel, nextWaiting } from "../../webapp/static/pwa/queue.js";

function phone(device, startMs) {
  let seq = 0;
  let ms = startMs;
  return (type, fields) => {
    seq += 1;
    ms += 1000;
    return { id: `${device}:${seq}`, device_id: device, seq, hlc: `${String(ms).padStart(13, "0")}-0000`,
      at: new Date(ms).toISOString(), type, ...fields };
  };
}
const STUDENTS = ["s1", "s2", "s3", "s4"];
const build = (events, stations = 2) => deriveQueue(events, fold(events, STUDENTS), stations);

test("waiting line is in check-in (enqueue) order across phones, not in arrival order", () => {
  const a = phone("hpA", 1764205200000);
  const b = phone("hpB", 1764205200500);
  const evs = [a("checkin", { student_id: "s2" }), a("enqueue", { student_id: "s2", ticket: "A-001" }),
    b("checkin", { student_id: "s1" }), b("enqueue", { student_id: "s1", ticket: "B-001" }),
    a("checkin", { student_id: "s3" }), a("enqueue", { student_id: "s3", ticket: "A-002" })];
  const q = build([...evs].reverse());
  assert.deepEqual(q.waiting.map((w) => w.ticket), ["A-001", "B-001", "A-002"]);
  assert.equal(nextWaiting(q).student_id, "s2");
  assert.equal(q.byStudent.get("s1").position, 2);
  assert.equal(q.byStudent.has("s4"), false);
});

test("call puts a student at a desk; an outcome after the call frees the desk", () => {
  const a = phone("hpA", 1764205200000);
  const evs = [a("enqueue", { student_id: "s1", ticket: "A-001" }), a("enqueue", { student_id: "s2", ticket: "A-002" })];
  const call = a("call", { student_id: "s1", station: 2 });
  let q = build([...evs, call]);
  assert.equal(q.desks[1].current.student_id, "s1");
  assert.equal(q.desks[0].current, null);
  assert.deepEqual(q.waiting.map((w) => w.student_id), ["s2"]);
  const done = a("outcome", { student_id: "s1", result: "failed", reason: "jaringan" });
  q = build([...evs, call, done]);
  assert.equal(q.desks[1].current, null);
  assert.equal(q.byStudent.get("s1").status, "done");
  assert.equal(displayModel(q).desks[1].ticket, "A-001"); // the display keeps the last call
  // "Coba lagi": a new call after the failure (naming the standing call) puts the student back at a desk.
  assert.deepEqual(callSpec(q, "s1", 1), { type: "call", student_id: "s1", station: 1, replaces: call.id });
  q = build([...evs, call, done, a("call", callSpec(q, "s1", 1))]);
  assert.equal(q.desks[0].current.student_id, "s1");
});

test("skip = undo of the call with the skip reason; recall = a new call", () => {
  const a = phone("hpA", 1764205200000);
  const evs = [a("enqueue", { student_id: "s1", ticket: "A-001" }), a("enqueue", { student_id: "s2", ticket: "A-002" })];
  const call = a("call", { student_id: "s1", station: 1 });
  const skip = a("undo", { target: call.id, reason: SKIP_REASON });
  let q = build([...evs, call, skip]);
  assert.deepEqual(q.skipped.map((s) => s.student_id), ["s1"]);
  assert.deepEqual(q.waiting.map((w) => w.student_id), ["s2"]); // not called again by "next"
  assert.equal(q.desks[0].current, null);
  q = build([...evs, call, skip, a("call", { student_id: "s1", station: 2 })]);
  assert.deepEqual(q.skipped, []);
  assert.equal(q.desks[1].current.student_id, "s1");
});

test("an undo for another reason returns the student to their place in line", () => {
  const a = phone("hpA", 1764205200000);
  const evs = [a("enqueue", { student_id: "s1", ticket: "A-001" }), a("enqueue", { student_id: "s2", ticket: "A-002" })];
  const call = a("call", { student_id: "s1", station: 1 });
  const q = build([...evs, call, a("undo", { target: call.id, reason: "salah pilih" })]);
  assert.deepEqual(q.waiting.map((w) => w.student_id), ["s1", "s2"]);
  assert.deepEqual(q.skipped, []);
});

test("recorded students leave the line; two calls at one desk show the latest as current", () => {
  const a = phone("hpA", 1764205200000);
  const b = phone("hpB", 1764205210000); // B's events come later in the total order
  const evs = [a("enqueue", { student_id: "s1", ticket: "A-001" }), a("enqueue", { student_id: "s2", ticket: "A-002" }),
    a("enqueue", { student_id: "s3", ticket: "A-003" }), b("outcome", { student_id: "s3", result: "recorded" }),
    a("call", { student_id: "s1", station: 1 }), b("call", { student_id: "s2", station: 1 })];
  const q = build(evs, 1);
  assert.deepEqual(q.waiting, []);
  assert.equal(q.desks[0].current.student_id, "s2");
  assert.deepEqual(q.desks[0].others.map((o) => o.student_id), ["s1"]);
  const model = displayModel(q);
  assert.deepEqual(model, { desks: [{ station: 1, ticket: "A-002", call_id: "hpB:2" }], next: [], waitingCount: 0 });
});

test("a walk-in alias is queued as its canonical student", () => {
  const a = phone("hpA", 1764205200000);
  const events = [a("walkin", { student: { id: "w1", name: "X", nik: "3672015508090731" } }),
    a("enqueue", { student_id: "w1", ticket: "A-001" })];
  const folded = fold(events, { s1: "3672015508090731" });
  const q = deriveQueue(events, folded, 1);
  assert.deepEqual(q.waiting.map((w) => w.student_id), ["s1"]);
});
