// A display paired over the phone link (displayfeed.js, linkcode.js display codes): what it may
// hold, how it is paired, and that its fold shows the queue the phones show.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { EVENT_FIELDS, displayData, forDisplay } from "../../webapp/static/pwa/displayfeed.js";
import { fold } from "../../webapp/static/pwa/fold.js";
import { decodeCode, decodeDisplayOffer, encodeCode, encodeDisplayOffer } from "../../webapp/static/pwa/linkcode.js";
import { deriveQueue, displayModel } from "../../webapp/static/pwa/queue.js";

const KEY = "ab".repeat(32);
const PARTS = { ufrag: "Wd3x", pwd: "Yk0HcKMPHNb3dX0kYIt5Zq9L", fp: "0f".repeat(32), cands: ["192.0.2.2,54325"] };
const NOW = 1_800_000_000;

test("the display cut is the server's display feed cut (webapp/sync/display.py)", () => {
  const py = readFileSync(new URL("../../webapp/sync/display.py", import.meta.url), "utf8");
  const tuple = /EVENT_FIELDS = \(([^)]*)\)/s.exec(py)[1];
  assert.deepEqual(EVENT_FIELDS, [...tuple.matchAll(/"(\w+)"/g)].map((m) => m[1]));
  assert.match(py, /QUEUE_REASONS = \("skip", "call_lost"\)/);
});

test("a display never gets a name, a NIK, a KK, a note or a free-text reason", () => {
  const walkin = { id: "d:1", device_id: "d", seq: 1, hlc: "1-0", type: "walkin",
    student: { id: "w1", name: "Siti Aminah", nik: "3171234567890123", kk: "3171234567890001", nik_key: "k1", school_class: "6A" } };
  const note = { id: "d:2", device_id: "d", seq: 2, hlc: "2-0", type: "note", student_id: "s1", text: "Ibu Siti menelepon" };
  const failed = { id: "d:3", device_id: "d", seq: 3, hlc: "3-0", type: "outcome", student_id: "s1", result: "failed", reason: "Siti sakit" };
  const undo = { id: "d:4", device_id: "d", seq: 4, hlc: "4-0", type: "undo", target: "d:3", reason: "salah pencet, Siti" };
  const skip = { id: "d:5", device_id: "d", seq: 5, hlc: "5-0", type: "undo", target: "d:3", reason: "skip" };
  const typed = { ...walkin, id: "d:6", seq: 6, student: { id: "w2", name: "Budi", nik: "3171234567890999" } };
  const out = [walkin, note, failed, undo, skip, typed].map(forDisplay);
  const text = JSON.stringify(out);
  for (const secret of ["Siti", "Budi", "3171234567890", "menelepon", "salah", "6A"]) assert.ok(!text.includes(secret), secret);
  assert.deepEqual(out[0].student, { id: "w1", nik_key: "k1" });
  assert.deepEqual(out[5].student, { id: "w2", nik_key: null });
  assert.equal(out[2].reason, "-");
  assert.equal(out[3].reason, undefined);
  assert.equal(out[4].reason, "skip");
  assert.equal(out[1].student_id, "s1");
});

test("on every shared vector the display shows the queue the phones show", () => {
  const dir = new URL("../vectors/", import.meta.url);
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    const v = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
    // As on a phone after a sync: NIKs only as the server's opaque keys (db.js foldableWalkins).
    const key = (nik) => (typeof nik === "string" && nik ? `k:${nik}` : null);
    const students = Array.isArray(v.students) ? Object.fromEntries(v.students.map((s) => [s, null]))
      : Object.fromEntries(Object.entries(v.students).map(([sid, nik]) => [sid, key(nik)]));
    const held = v.events.map((ev) => (ev.type === "walkin" && ev.student
      ? { ...ev, student: { id: ev.student.id, name: "Siti", nik_key: key(ev.student.nik) } } : ev));
    const phone = fold(held.map((ev) => (ev.type === "walkin" ? { ...ev, student: { ...ev.student, nik: ev.student.nik_key } } : ev)),
      students, { closed: false });
    const shown = displayData({ id: 1, stations: 3 }, held.map(forDisplay), students);
    const model = (events, folded) => displayModel(deriveQueue(events, folded, 3));
    assert.deepEqual(model(shown.events, shown.folded), model(held, phone), f);
    for (const [sid, st] of Object.entries(phone.students)) {
      for (const k of ["ticket", "station", "call_id", "outcome"]) assert.deepEqual(shown.folded.students[sid][k], st[k], `${f} ${sid} ${k}`);
    }
  }
});

test("a display code carries a grant that answers only that code, and never signs a phone's code", async () => {
  const { code, grant } = await encodeDisplayOffer(KEY, { visit: "12", device: "gate", parts: PARTS }, { gid: "g1", exp: NOW + 60 });
  assert.ok(code.length < 300, `${code.length} chars`);
  assert.ok(!code.includes(KEY) && !code.includes(KEY.slice(0, 16)));
  const read = await decodeDisplayOffer(code, NOW);
  assert.equal(read.grant, grant);
  assert.deepEqual(read.parts, PARTS);
  await assert.rejects(decodeDisplayOffer(code, NOW + 61), { code: "expired" });
  await assert.rejects(decodeDisplayOffer(code.replace("Wd3x", "Wd3y"), NOW), { code: "bad_signature" });
  await assert.rejects(decodeDisplayOffer("JL1~o~12~x", NOW), { code: "not_a_display_code" });
  // A phone that scans a display code by mistake is told so.
  await assert.rejects(decodeCode(KEY, code, "12"), { code: "display_code" });
  // The display's answer checks under the grant and only against its offer.
  const answer = await encodeCode(grant, { kind: "u", visit: "12", device: "tv-1", parts: PARTS }, code);
  assert.equal((await decodeCode(grant, answer, "12", code)).kind, "u");
  const other = await encodeDisplayOffer(KEY, { visit: "12", device: "gate", parts: PARTS }, { gid: "g2", exp: NOW + 60 });
  await assert.rejects(decodeCode(other.grant, answer, "12", other.code), { code: "bad_signature" });
  // The grant cannot make a code a team phone accepts, nor is it another visit's grant.
  const forged = await encodeCode(grant, { kind: "o", visit: "12", device: "tv-1", parts: PARTS });
  await assert.rejects(decodeCode(KEY, forged, "12"), { code: "bad_signature" });
  const visit13 = await encodeDisplayOffer(KEY, { visit: "13", device: "gate", parts: PARTS }, { gid: "g1", exp: NOW + 60 });
  assert.notEqual(visit13.grant, grant);
});
