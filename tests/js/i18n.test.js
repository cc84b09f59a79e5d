// The PWA's dictionary (words.js and the generated words-en.js): every key in both languages, same
// placeholders, every used key defined. tests/foundation/test_catalogue.py checks them against the .po.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { DICT, setLang, t } from "../../webapp/static/pwa/i18n.js";

const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("Indonesian and English have the same keys and placeholders", () => {
  const idKeys = Object.keys(DICT.id).sort();
  const enKeys = Object.keys(DICT.en).filter((k) => !k.endsWith("_one")).sort();
  assert.deepEqual(enKeys, idKeys);
  for (const k of idKeys) assert.deepEqual(holes(DICT.en[k]), holes(DICT.id[k]), k);
});

test("every literal t('key') in the PWA modules exists", () => {
  const dir = new URL("../../webapp/static/pwa/", import.meta.url);
  const missing = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".js") && x !== "i18n.js")) {
    const src = readFileSync(new URL(f, dir), "utf8");
    for (const m of src.matchAll(/\bt\(\s*"([a-zA-Z0-9_]+)"/g)) {
      for (const code of ["id", "en"]) if (!(m[1] in DICT[code])) missing.push(`${f}: ${m[1]} (${code})`);
    }
  }
  assert.deepEqual(missing, []);
});

test("dynamic key families are complete", () => {
  const families = {
    att_: ["not_arrived", "present", "absent"], out_: ["recorded", "failed", "already_recorded"], print_: ["printed", "not_printed"],
    pr_: ["no_blank", "printer_fault", "not_print_ready"], ikd_: ["scanned", "active", "failed"],
    conflict_: ["double_ticket", "recorded_then_failed", "walkin_duplicate", "recorded_twice", "double_call"], elig_: ["under_age", "record_only", "record_and_print", "unknown"],
    ev_: ["checkin", "enqueue", "call", "outcome", "ikd", "walkin", "undo", "note", "print", "correction"], status_: ["planned", "open", "closed"],
    syncerr_: ["offline", "unauthorized", "forbidden", "not_found", "server", "too_large", "not_acknowledged", "client", "no_device"],
    ikdr_: ["no_phone", "no_email", "face_mismatch", "no_signal", "other"], btn_ikd_: ["scanned", "active", "failed"],
    f_: ["name", "nik", "kk", "nisn", "gender", "birth_place", "birth_date", "class", "consent"],
  };
  for (const [prefix, names] of Object.entries(families)) for (const n of names) assert.ok(`${prefix}${n}` in DICT.id, `${prefix}${n}`);
});

test("the walk-in validation codes all have messages", () => {
  const src = readFileSync(new URL("../../webapp/static/pwa/nik.js", import.meta.url), "utf8");
  const used = new Set([...src.matchAll(/issue\(`?"?([a-z_{}$]+)/g)].map((m) => m[1]).filter((c) => !c.includes("$")));
  for (const p of ["nik", "kk"]) for (const s of ["required", "digits", "length"]) used.add(`${p}_${s}`);
  for (const code of used) assert.ok(`id_${code}` in DICT.id, code);
});

test("t fills placeholders, uses the _one form in English, falls back to the key", () => {
  setLang("id");
  assert.equal(t("unsynced", { n: 3 }), "3 belum terkirim");
  assert.equal(t("qr_foreign"), "QR bukan untuk kunjungan ini");
  setLang("en");
  assert.match(t("signout_unsynced", { n: 1 }), /^WARNING: 1 event has/);
  assert.match(t("signout_unsynced", { n: 2 }), /^WARNING: 2 events have/);
  assert.equal(t("no_such_key"), "no_such_key");
  setLang("id");
});
