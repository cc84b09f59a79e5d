// Consent at the gate (docs/consent.md): who is flagged, and the fold's consent field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fold } from "../../webapp/static/pwa/fold.js";
import { consentOnRecord } from "../../webapp/static/pwa/student.js";

const ev = (seq, type, fields) => ({ id: `hpA:${seq}`, device_id: "hpA", seq, hlc: `176420520${seq}000-0000`, at: "x", type, ...fields });

test("a student registered without consent is flagged until it is recorded at the gate", () => {
  const student = { id: "s1", consent: false };
  let st = fold([], ["s1"]).students.s1;
  assert.equal(st.consent, null);
  assert.equal(consentOnRecord(student, st), false);
  st = fold([ev(1, "consent", { student_id: "s1", given: true })], ["s1"]).students.s1;
  assert.equal(consentOnRecord(student, st), true);
  assert.equal(st.attendance, "not_arrived"); // consent alone is no check-in
});

test("a withdrawal at the gate wins over the registration; an undo restores it", () => {
  const student = { id: "s1", consent: true };
  const withdrawn = ev(1, "consent", { student_id: "s1", given: false });
  assert.equal(consentOnRecord(student, fold([withdrawn], ["s1"]).students.s1), false);
  const undone = fold([withdrawn, ev(2, "undo", { target: "hpA:1", reason: "salah" })], ["s1"]).students.s1;
  assert.equal(consentOnRecord(student, undone), true);
});
