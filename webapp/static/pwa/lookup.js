// Finding a student offline: by the QR token of a slip, by the slip's short code, or by name /
// NISN. Pure (node-tested).

// The slip code's alphabet (webapp/visits/slipcode.py): no look-alike characters.
const CODE_ALPHABET = "ACDEFHJKMNPQRTWXY34679";
const CODE_LENGTH = 7;

/** A typed slip code as stored ("ac3-4f7x " -> "AC34F7X"), or null if it cannot be one. */
export function slipCode(value) {
  const compact = String(value ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact.length !== CODE_LENGTH) return null;
  return [...compact].every((c) => CODE_ALPHABET.includes(c)) ? compact : null;
}

/**
 * The slip's short code of a QR token, as webapp/visits/slipcode.py computes it (the roster does not
 * carry it: 4 KB of random letters on the wire). Same vectors in both languages:
 * tests/vectors/slip_code/codes.json.
 */
export async function slipCodeOf(qr) {
  const bytes = new TextEncoder().encode(`jemput-slip-code/v1:${qr}`);
  let number = new DataView(await crypto.subtle.digest("SHA-256", bytes)).getBigUint64(0, false);
  let out = "";
  for (let i = 0; i < CODE_LENGTH; i += 1) {
    out += CODE_ALPHABET[Number(number % 22n)];
    number /= 22n;
  }
  return out;
}

/** Roster students, each with its slip `code` (computed from `qr` where the roster has none). */
export function withSlipCodes(students) {
  return Promise.all((students || []).map(async (s) => (s && typeof s.qr === "string" && s.qr && !s.code
    ? { ...s, code: await slipCodeOf(s.qr) } : s)));
}

/** A short code shown as printed on the slip: "AC3-4F7X". */
export function printedCode(code) {
  return code ? `${code.slice(0, 3)}-${code.slice(3)}` : "";
}

/** The last four digits of a NISN, enough to tell two students of one name apart. */
export function nisnEnding(nisn) {
  const digits = String(nisn ?? "").replace(/[^0-9]/g, "");
  return digits.length >= 4 ? digits.slice(-4) : "";
}

/** Lowercase, accents off, runs of anything but letters and digits to one space. */
export function normalise(value) {
  return String(value ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The candidate tokens in a decoded QR text: the text itself, and a URL's last segment. */
export function qrCandidates(raw) {
  const textValue = String(raw ?? "").trim();
  if (!textValue) return [];
  const out = [textValue];
  // A slip may one day carry a URL (".../q/TOKEN" or "...?qr=TOKEN"): accept its last part.
  const tail = textValue.split(/[/#?=&]/).filter(Boolean).pop();
  if (tail && tail !== textValue) out.push(tail);
  return out;
}

/** Index a roster's students by QR token: Map token -> student. */
export function qrIndex(students) {
  const map = new Map();
  for (const s of students) if (s && typeof s.qr === "string" && s.qr) map.set(s.qr, s);
  return map;
}

/** The student whose slip carries `raw`, or null ("QR bukan untuk kunjungan ini"). */
export function matchQr(raw, index) {
  for (const token of qrCandidates(raw)) {
    if (index.has(token)) return index.get(token);
  }
  return null;
}

/**
 * Search by the slip's short code (exact, first), by name (every word of the query starts a word of
 * the name, any order) or by digits (NISN or NIPD containing them, at least 4 digits). Best matches
 * first, at most `limit`.
 */
export function search(students, query, limit = 20) {
  const q = normalise(query);
  if (!q) return [];
  const code = slipCode(query);
  const digits = q.replace(/ /g, "");
  const isNumber = /^[0-9]+$/.test(digits);
  const words = q.split(" ");
  const scored = [];
  for (const s of students) {
    let score = code && s.code === code ? 4 : 0;
    if (isNumber) {
      if (digits.length < 4) continue;
      for (const field of [s.nisn, s.nipd]) {
        const v = String(field ?? "");
        if (v === digits) score = Math.max(score, 3);
        else if (v.startsWith(digits)) score = Math.max(score, 2);
        else if (v.includes(digits)) score = Math.max(score, 1);
      }
    } else {
      const nameWords = normalise(s.name).split(" ");
      if (words.every((w) => nameWords.some((n) => n.startsWith(w)))) {
        score = normalise(s.name).startsWith(q) ? 2 : 1;
      }
    }
    if (score > 0) scored.push([score, s]);
  }
  scored.sort((a, b) => b[0] - a[0] || String(a[1].name).localeCompare(String(b[1].name), "id"));
  return scored.slice(0, limit).map(([, s]) => s);
}
