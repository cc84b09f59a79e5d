// Client mirror of the NIK / KK / NISN rules (webapp/static/pwa/nik.js), same codes as the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { addYears, checkKk, checkNik, checkNisn, eligibility, validateWalkin } from "../../webapp/static/pwa/nik.js";

const codes = (r) => r.errors.map((i) => i.code);
const warns = (r) => r.warnings.map((i) => i.code);

test("a valid Cilegon NIK has no errors or warnings", () => {
  const r = checkNik("3672015508090731", { gender: "P", birthDate: "2009-08-15" });
  assert.deepEqual(codes(r), []);
  assert.deepEqual(warns(r), []);
});

test("shape errors stop further checks", () => {
  assert.deepEqual(codes(checkNik("")), ["nik_required"]);
  assert.deepEqual(codes(checkNik("36720155080907a1")), ["nik_digits"]);
  assert.deepEqual(checkNik("367201550809073").errors, [{ code: "nik_length", params: { length: 15 } }]);
});

test("day, month, calendar, serial and province errors", () => {
  assert.ok(codes(checkNik("3672013508090731")).includes("nik_day"));
  assert.ok(codes(checkNik("3672017508090731")).includes("nik_day"));
  assert.ok(codes(checkNik("3672011513090731")).includes("nik_month"));
  assert.ok(codes(checkNik("3672013102090731")).includes("nik_date"));
  assert.deepEqual(codes(checkNik("3672012902080731")), []); // 2008 is a leap year
  assert.ok(codes(checkNik("3672012902090731")).includes("nik_date"));
  assert.ok(codes(checkNik("3672015508090000")).includes("nik_serial"));
  assert.ok(codes(checkNik("2072015508090731")).includes("nik_province"));
});

test("warnings: other city, gender, birth date, NIK equal to KK", () => {
  assert.deepEqual(warns(checkNik("3604015508090731")), ["nik_other_city"]);
  assert.deepEqual(warns(checkNik("3672015508090731", { gender: "L" })), ["nik_gender_mismatch"]);
  assert.deepEqual(warns(checkNik("3672015508090731", { birthDate: "2009-08-16" })), ["nik_birthdate_mismatch"]);
  assert.deepEqual(warns(checkNik("3672015508090731", { kk: "3672015508090731" })), ["nik_equals_kk"]);
});

test("KK and NISN", () => {
  assert.deepEqual(codes(checkKk("3672011201150003")), []);
  assert.deepEqual(codes(checkKk("3672013201150003")), ["kk_date"]);
  assert.deepEqual(codes(checkKk("3672011201150000")), ["kk_serial"]);
  assert.deepEqual(codes(checkNisn("0012345678")), []);
  assert.deepEqual(codes(checkNisn("12345")), ["nisn_invalid"]);
});

test("eligibility on the visit date: under 16, 16 to 17, 17+, married", () => {
  assert.equal(eligibility("2010-11-28", "2026-11-27").status, "under_age");
  assert.equal(eligibility("2010-11-28", "2026-11-27").eligible_on, "2026-11-28");
  assert.equal(eligibility("2010-11-27", "2026-11-27").status, "record_only");
  assert.equal(eligibility("2009-11-27", "2026-11-27").status, "record_and_print");
  assert.equal(eligibility("2011-01-01", "2026-11-27", { married: true }).status, "record_and_print");
  assert.equal(addYears("2008-02-29", 17), "2025-03-01");
});

test("walk-in validation names each field and keeps warnings apart", () => {
  const bad = validateWalkin({ name: " ", nik: "123", gender: "", birth_date: "", kk: "x", nisn: "1" });
  assert.deepEqual(Object.keys(bad.errors).sort(), ["birth_date", "gender", "kk", "name", "nik", "nisn"]);
  const ok = validateWalkin({ name: "Siti Rahma", nik: "3672015508090731", gender: "L", birth_date: "2009-08-15" });
  assert.deepEqual(ok.errors, {});
  assert.deepEqual(ok.warnings.map((w) => w.code), ["nik_gender_mismatch"]);
  assert.deepEqual(Object.keys(validateWalkin({ name: "X", nik: "3672015508090731", gender: "P", birth_date: "2009-02-30" }).errors), ["birth_date"]);
});

// The shared vectors (tests/vectors/nik/cases.json), also run by tests/test_nik_vectors.py.
const VECTORS = JSON.parse(readFileSync(new URL("../vectors/nik/cases.json", import.meta.url), "utf-8"));

for (const c of VECTORS.nik) {
  test(`NIK vector: ${c.name}`, () => {
    const city = c.city_code === undefined ? "3672" : c.city_code;
    const r = checkNik(c.nik, { cityCode: city, birthDate: c.birth_date ?? null, gender: c.gender ?? null, kk: c.kk ?? null });
    assert.deepEqual([codes(r), warns(r)], [c.errors, c.warnings]);
  });
}

for (const c of VECTORS.kk) test(`KK vector: ${c.name}`, () => assert.deepEqual(codes(checkKk(c.kk)), c.errors));
for (const c of VECTORS.nisn) test(`NISN vector: ${c.name}`, () => assert.deepEqual(codes(checkNisn(c.nisn)), c.errors));

for (const c of VECTORS.walkin) {
  test(`walk-in vector: ${c.name}`, () => {
    const { errors } = validateWalkin(c.student, { cityCode: "3672" });
    const got = Object.fromEntries(Object.entries(errors).map(([f, issues]) => [f, issues.map((i) => i.code)]));
    assert.deepEqual(got, c.errors);
  });
}
