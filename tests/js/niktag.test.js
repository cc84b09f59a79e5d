// What a phone holds of a NIK it did not type (webapp/static/pwa/niktag.js, SECURITY.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { foldNik, forPeers, nikTag, rosterKey, sameNik } from "../../webapp/static/pwa/niktag.js";
import { fold } from "../../webapp/static/pwa/fold.js";

test("the tag is the server's: one hex digit of sha256 (values from webapp/sync/privacy.py)", async () => {
  assert.equal(await nikTag("3672015508090731"), "7");
  assert.equal(await nikTag("3672011203080002"), "6");
});

test("sameNik: masked digits, tag, birth date and gender must all agree", async () => {
  const nik = "3672015508090731"; // female (55 = 15 + 40), born 2009-08-15
  const row = { id: "a", nik_masked: "3672**********31", nik_tag: "7", birth_date: "2009-08-15", gender: "P" };
  assert.deepEqual(sameNik([row], nik, await nikTag(nik)).map((r) => r.id), ["a"]);
  assert.deepEqual(sameNik([{ ...row, nik_tag: "8" }], nik, "7"), []);
  assert.deepEqual(sameNik([{ ...row, birth_date: "2009-08-16" }], nik, "7"), []);
  assert.deepEqual(sameNik([{ ...row, gender: "L" }], nik, "7"), []);
  assert.deepEqual(sameNik([{ ...row, nik_masked: "3672**********32" }], nik, "7"), []);
  // A walk-in typed on this phone still holds its NIK: compared exactly.
  assert.deepEqual(sameNik([{ id: "w", nik }], nik, "7").map((r) => r.id), ["w"]);
  assert.deepEqual(sameNik([{ id: "w", nik: "3672015508090732" }], nik, "7"), []);
});

test("the fold merges walk-ins by the server's key, never by a NIK it received", () => {
  assert.equal(foldNik({ nik_key: "k1", nik_masked: "3672**********31" }), "k1");
  assert.equal(foldNik({ nik: "3672015508090731" }), "typed:3672015508090731");
  assert.equal(foldNik({ name: "no nik" }), null);
  const walkin = (id, seq, student) => ({ id: `${id}:${seq}`, device_id: id, seq, hlc: `000000000000${seq}-0000`,
    at: "2026-12-06T08:00:00.000Z", type: "walkin", student: { ...student, nik: foldNik(student) } });
  const events = [walkin("d1", 1, { id: "w1", nik_key: "k1" }), walkin("d2", 2, { id: "w2", nik_key: "k2" }),
    walkin("d3", 3, { id: "w3", nik_key: "k2" })];
  const out = fold(events, { s1: "k1" });
  assert.deepEqual(out.aliases, { w1: "s1", w3: "w2" });
});

test("an event for another phone carries no NIK or KK; other events pass unchanged", () => {
  const ev = { id: "d1:1", type: "walkin", student: { id: "w1", name: "Siti", nik: "3672015508090731", kk: "3672010101080001" } };
  const out = forPeers(ev);
  assert.deepEqual(out.student, { id: "w1", name: "Siti", nik_masked: "3672**********31", kk_masked: "3672**********01" });
  assert.equal(foldNik(out.student), null); // merged by the server's fold, then by its nik_key
  assert.equal(ev.student.nik, "3672015508090731");
  const checkin = { id: "d1:2", type: "checkin", student_id: "w1" };
  assert.equal(forPeers(checkin), checkin);
});

test("a nik_key compares by its first 16 hex digits: a 32-digit key kept from an older roster still matches", () => {
  const key = "76171041579b36f1c6aa8a3d6ccbcf8d";
  assert.equal(rosterKey(key), key.slice(0, 16));
  assert.equal(foldNik({ nik_key: key }), rosterKey(key.slice(0, 16)));
  assert.equal(rosterKey(null), null);
  assert.equal(rosterKey(""), null);
});
