// Client-side mirror of the basic identity rules of webapp/identity.py (NIK, KK, NISN) for the
// walk-in form. Same issue codes as the server; the server stays the authority and rejects an
// event with a code if the phone ever lets something through. Pure, no dependencies.

export const PROVINCE_CODES = new Set([
  ...range(11, 19), "21", ...range(31, 36), "51", "52", "53", ...range(61, 65), ...range(71, 76),
  "81", "82", ...range(91, 96),
]);

function range(a, b) {
  const out = [];
  for (let i = a; i <= b; i++) out.push(String(i));
  return out;
}

const issue = (code, params = {}) => ({ code, params });
const text = (v) => (v === null || v === undefined ? "" : String(v).trim());
const two = (n) => String(n).padStart(2, "0");

function realDate(year, month, day) {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function shape(value, prefix) {
  if (!value) return issue(`${prefix}_required`);
  if (!/^[0-9]+$/.test(value)) return issue(`${prefix}_digits`);
  if (value.length !== 16) return issue(`${prefix}_length`, { length: value.length });
  return null;
}

/**
 * Check a NIK; compare with the entered birth date ("YYYY-MM-DD"), gender ("L"/"P") and KK.
 * Returns {errors: [{code, params}], warnings: [...]}; errors block saving.
 */
export function checkNik(nikRaw, { cityCode = "3672", birthDate = null, gender = null, kk = null } = {}) {
  const out = { errors: [], warnings: [] };
  const nik = text(nikRaw);
  const bad = shape(nik, "nik");
  if (bad) {
    out.errors.push(bad);
    return out;
  }
  const province = nik.slice(0, 2);
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (!PROVINCE_CODES.has(province)) out.errors.push(issue("nik_province", { province }));
  const dayOk = (rawDay >= 1 && rawDay <= 31) || (rawDay >= 41 && rawDay <= 71);
  if (!dayOk) out.errors.push(issue("nik_day", { day: nik.slice(6, 8) }));
  const monthOk = month >= 1 && month <= 12;
  if (!monthOk) out.errors.push(issue("nik_month", { month: nik.slice(8, 10) }));
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  // Judged in 20YY like the server: 2000 is a leap year, so 29 Feb is valid iff YY % 4 == 0.
  const dateOk = dayOk && monthOk && realDate(2000 + yy, month, day);
  if (dayOk && monthOk && !dateOk) out.errors.push(issue("nik_date", { date: `${two(day)}-${two(month)}-${two(yy)}` }));
  if (nik.slice(12) === "0000") out.errors.push(issue("nik_serial"));

  if (cityCode && !nik.startsWith(cityCode)) {
    out.warnings.push(issue("nik_other_city", { region: nik.slice(0, 4), city: cityCode }));
  }
  const entered = text(gender).toUpperCase();
  if (dayOk && (entered === "L" || entered === "P")) {
    const coded = rawDay > 40 ? "P" : "L";
    if (coded !== entered) out.warnings.push(issue("nik_gender_mismatch", { nik_gender: coded, gender: entered }));
  }
  const bd = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text(birthDate));
  if (dateOk && bd) {
    const [y, m, d] = [Number(bd[1]), Number(bd[2]), Number(bd[3])];
    if (d !== day || m !== month || y % 100 !== yy) {
      out.warnings.push(issue("nik_birthdate_mismatch", {
        nik_date: `${two(day)}-${two(month)}-${two(yy)}`, birth_date: `${bd[3]}-${bd[2]}-${bd[1]}`,
      }));
    }
  }
  if (kk !== null && text(kk) === nik) out.warnings.push(issue("nik_equals_kk"));
  return out;
}

/** Check a family card number: 6-digit region, DDMMYY issue date (no +40), serial. */
export function checkKk(kkRaw) {
  const out = { errors: [], warnings: [] };
  const kk = text(kkRaw);
  const bad = shape(kk, "kk");
  if (bad) {
    out.errors.push(bad);
    return out;
  }
  if (!PROVINCE_CODES.has(kk.slice(0, 2))) out.errors.push(issue("kk_province", { province: kk.slice(0, 2) }));
  if (!realDate(2000 + Number(kk.slice(10, 12)), Number(kk.slice(8, 10)), Number(kk.slice(6, 8)))) {
    out.errors.push(issue("kk_date", { date: `${kk.slice(6, 8)}-${kk.slice(8, 10)}-${kk.slice(10, 12)}` }));
  }
  if (kk.slice(12) === "0000") out.errors.push(issue("kk_serial"));
  return out;
}

/** NISN: exactly 10 digits. */
export function checkNisn(nisnRaw) {
  const nisn = text(nisnRaw);
  return { errors: /^[0-9]{10}$/.test(nisn) ? [] : [issue("nisn_invalid", { length: nisn.length })], warnings: [] };
}

/** The date someone born on `birth` ("YYYY-MM-DD") turns `years`; 29 Feb -> 1 Mar. */
export function addYears(birth, years) {
  const [y, m, d] = birth.split("-").map(Number);
  if (realDate(y + years, m, d)) return `${y + years}-${two(m)}-${two(d)}`;
  return `${y + years}-03-01`;
}

/** under_age / record_only / record_and_print on the visit date, like identity.eligibility. */
export function eligibility(birthDate, visitDate, { minRecordAge = 16, minCardAge = 17, married = false } = {}) {
  if (married || visitDate >= addYears(birthDate, minCardAge)) return { status: "record_and_print" };
  const recordOn = addYears(birthDate, minRecordAge);
  if (visitDate >= recordOn) return { status: "record_only", card_on: addYears(birthDate, minCardAge) };
  return { status: "under_age", eligible_on: recordOn };
}

/**
 * Validate a walk-in student like pre-registration: {errors: {field: [issue]}, warnings: [issue]}.
 * Required: name, nik, gender, birth_date; kk and nisn are checked when given.
 */
export function validateWalkin(s, { cityCode = null } = {}) {
  const errors = {};
  const warnings = [];
  const add = (field, iss) => (errors[field] = errors[field] || []).push(iss);
  if (!text(s.name)) add("name", issue("name_required"));
  if (!["L", "P"].includes(s.gender)) add("gender", issue("gender_required"));
  const bd = text(s.birth_date);
  if (!bd) add("birth_date", issue("birth_date_missing"));
  else if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(bd) || !realDate(...bd.split("-").map(Number))) {
    add("birth_date", issue("birth_date_invalid"));
  }
  const nik = checkNik(s.nik, { cityCode, birthDate: bd || null, gender: s.gender, kk: text(s.kk) || null });
  nik.errors.forEach((e) => add("nik", e));
  warnings.push(...nik.warnings);
  if (text(s.kk)) checkKk(s.kk).errors.forEach((e) => add("kk", e));
  if (text(s.nisn)) checkNisn(s.nisn).errors.forEach((e) => add("nisn", e));
  return { errors, warnings };
}

/** Mask a NIK like the server does: 3672**********01. */
export function maskNik(nik) {
  const s = String(nik ?? "");
  return s.length <= 6 ? "*".repeat(s.length) : s.slice(0, 4) + "*".repeat(s.length - 6) + s.slice(-2);
}
