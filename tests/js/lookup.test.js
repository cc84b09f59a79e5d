// Offline lookup: QR token -> student, search by name or NISN (webapp/static/pwa/lookup.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { matchQr, nisnEnding, normalise, printedCode, qrCandidates, qrIndex, search, slipCode, slipCodeOf, withSlipCodes } from "../../webapp/static/pwa/lookup.js";

const roster = [
  { id: "s1", qr: "tokA1b2C3d4e5", name: "Siti Rahma", nisn: "0091234567", nipd: "2301" },
  { id: "s2", qr: "tokZZZ", name: "Budi Pratama", nisn: "0098888888", nipd: "2302" },
  { id: "s3", qr: "tokYYY", name: "Rahmat Hidayat", nisn: null, nipd: "2303" },
];

test("a slip's token finds its student; a foreign or made-up code finds nobody", () => {
  const idx = qrIndex(roster);
  assert.equal(matchQr("tokA1b2C3d4e5", idx).id, "s1");
  assert.equal(matchQr("  tokZZZ\n", idx).id, "s2");
  assert.equal(matchQr("https://jemput.example/q/tokYYY", idx).id, "s3");
  assert.equal(matchQr("tokOTHERVISIT", idx), null);
  assert.equal(matchQr("", idx), null);
  assert.deepEqual(qrCandidates("a/b?qr=c"), ["a/b?qr=c", "c"]);
});

test("name search: every word starts a name word, any order, accents ignored", () => {
  assert.deepEqual(search(roster, "rah").map((s) => s.id), ["s3", "s1"]);
  assert.deepEqual(search(roster, "rahma siti").map((s) => s.id), ["s1"]);
  assert.deepEqual(search(roster, "Sítì").map((s) => s.id), ["s1"]);
  assert.deepEqual(search(roster, "xyz"), []);
  assert.equal(normalise("  Siti-Rahma  "), "siti rahma");
});

test("digit search: NISN or NIPD, exact first, at least 4 digits", () => {
  assert.deepEqual(search(roster, "0091234567").map((s) => s.id), ["s1"]);
  assert.deepEqual(search(roster, "009").map((s) => s.id), []);
  assert.deepEqual(search(roster, "0098").map((s) => s.id), ["s2"]);
  assert.deepEqual(search(roster, "2303").map((s) => s.id), ["s3"]);
});

test("the slip's short code finds its student, typed in any case, with or without the dash", () => {
  const withCodes = [{ id: "a", name: "Rahmat", code: "AC34F7X" }, { id: "b", name: "Rahmat", code: "HJK7MNP" }];
  for (const typed of ["AC3-4F7X", "ac34f7x", " ac3 4f7x "]) {
    assert.deepEqual(search(withCodes, typed).map((s) => s.id), ["a"]);
  }
  assert.equal(slipCode("AC3-4F7"), null); // too short
  assert.equal(slipCode("AO34F7X"), null); // O is not in the alphabet: never printed
  assert.equal(printedCode("AC34F7X"), "AC3-4F7X");
});

test("a NISN ending is its last four digits, or nothing", () => {
  assert.equal(nisnEnding("0091234567"), "4567");
  assert.equal(nisnEnding(null), "");
  assert.equal(nisnEnding("12"), "");
});

test("the slip code computed from the QR token equals the server's (shared vectors)", async () => {
  const doc = JSON.parse(readFileSync(new URL("../vectors/slip_code/codes.json", import.meta.url), "utf8"));
  assert.ok(doc.vectors.length >= 40);
  for (const v of doc.vectors) assert.equal(await slipCodeOf(v.qr), v.code, v.qr);
});

test("a roster without codes gets them, and the search finds a student by the typed code", async () => {
  const students = await withSlipCodes(roster);
  const code = await slipCodeOf("tokZZZ");
  assert.equal(students[1].code, code);
  assert.equal(roster[1].code, undefined); // the downloaded rows are left alone
  assert.equal(search(students, printedCode(code).toLowerCase())[0].id, "s2");
});
