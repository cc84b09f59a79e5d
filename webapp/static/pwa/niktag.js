// What the phone knows of a NIK it did not type: masked digits, a 4-bit tag and the server's
// opaque per-visit key (webapp/sync/privacy.py; threat model in SECURITY.md). Pure (node-tested).

import { checkNik, maskNik } from "./nik.js";

const TAG_PREFIX = "jemput-nik-tag/v1:";

/** One hex digit of sha256(prefix + NIK), as the roster's nik_tag: 16 deliberate buckets. */
export async function nikTag(nik) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(TAG_PREFIX + nik));
  return (new Uint8Array(digest)[0] >> 4).toString(16);
}

// nik_key's length since roster format 3 (webapp/sync/privacy.py KEY_LENGTH): a key of the former
// 32-digit form still on the phone (an older roster, a relayed walk-in) begins with the new one.
const KEY_LENGTH = 16;

/** A server nik_key as the fold compares it (its first 16 hex digits), or null. */
export function rosterKey(key) {
  return typeof key === "string" && key ? key.slice(0, KEY_LENGTH) : null;
}

/** A walk-in's identity for the fold: the server's key, else the NIK typed on this phone. */
export function foldNik(student) {
  if (!student || typeof student !== "object") return null;
  if (typeof student.nik_key === "string" && student.nik_key) return rosterKey(student.nik_key);
  return typeof student.nik === "string" && student.nik ? `typed:${student.nik}` : null;
}

/**
 * People in `rows` (roster rows or walk-ins) who may carry the typed NIK: the exact NIK when this
 * phone typed it, else same masked digits, tag, birth date and gender. A hint for the officer; the
 * server's fold decides by the full NIK.
 */
export function sameNik(rows, nik, tag) {
  const masked = maskNik(nik);
  return rows.filter((r) => {
    if (!r) return false;
    if (typeof r.nik === "string" && r.nik) return r.nik === nik;
    if (r.nik_masked !== masked || !r.nik_tag || r.nik_tag !== tag) return false;
    const w = checkNik(nik, { birthDate: r.birth_date || null, gender: r.gender || null }).warnings.map((x) => x.code);
    return !w.includes("nik_birthdate_mismatch") && !w.includes("nik_gender_mismatch");
  });
}

/** An event as it may leave this phone for another phone: a walk-in without NIK or KK. */
export function forPeers(ev) {
  const s = ev && ev.type === "walkin" && ev.student && typeof ev.student === "object" ? ev.student : null;
  if (!s || (typeof s.nik !== "string" && typeof s.kk !== "string")) return ev;
  const { nik, kk, ...rest } = s;
  const student = { ...rest, nik_masked: s.nik_masked || (nik ? maskNik(nik) : null) };
  if (kk) student.kk_masked = maskNik(kk);
  return { ...ev, student };
}
