// Hybrid logical clock strings ("1764230130123-0002") and the events' total order.
// Mirrors fieldsync/hlc.py; no dependencies, runs in the browser and in node.

export const HLC_RE = /^[0-9]{13}-[0-9]{4}$/;
export const MAX_MS = 10 ** 13 - 1;
export const MAX_COUNTER = 9999;

export function formatHlc(ms, counter = 0) {
  if (!(Number.isInteger(ms) && ms >= 0 && ms <= MAX_MS && counter >= 0 && counter <= MAX_COUNTER)) {
    throw new RangeError(`hlc out of range: ${ms}, ${counter}`);
  }
  return `${String(ms).padStart(13, "0")}-${String(counter).padStart(4, "0")}`;
}

export function isHlc(value) {
  return typeof value === "string" && HLC_RE.test(value);
}

export function parseHlc(value) {
  if (!isHlc(value)) throw new TypeError(`not an hlc: ${value}`);
  return [Number(value.slice(0, 13)), Number(value.slice(14))];
}

// The counter has 4 digits; on overflow borrow the next millisecond, which keeps the clock
// strictly increasing (same rule as the Python side).
function make(ms, counter) {
  return counter > MAX_COUNTER ? formatHlc(ms + 1, 0) : formatHlc(ms, counter);
}

/** The hlc of a new local event after `last` (null on a fresh device). */
export function tick(last, nowMs) {
  const now = Math.trunc(nowMs);
  if (last === null || last === undefined) return formatHlc(now, 0);
  const [lMs, lC] = parseHlc(last);
  return now > lMs ? formatHlc(now, 0) : make(lMs, lC + 1);
}

/** The local clock after seeing `remote`: greater than both `last` and `remote`. */
export function receive(last, remote, nowMs) {
  const [lMs, lC] = parseHlc(last === null || last === undefined ? formatHlc(0, 0) : last);
  const [rMs, rC] = parseHlc(remote);
  const ms = Math.max(lMs, rMs, Math.trunc(nowMs));
  if (ms === lMs && ms === rMs) return make(ms, Math.max(lC, rC) + 1);
  if (ms === lMs) return make(ms, lC + 1);
  if (ms === rMs) return make(ms, rC + 1);
  return formatHlc(ms, 0);
}

/** Stateful wrapper for one device; `nowMs` is always passed in. */
export class HLC {
  constructor(last = null) {
    if (last !== null) parseHlc(last);
    this.last = last;
  }
  tick(nowMs) {
    this.last = tick(this.last, nowMs);
    return this.last;
  }
  receive(remote, nowMs) {
    this.last = receive(this.last, remote, nowMs);
    return this.last;
  }
}

// Python compares strings by code point, JavaScript's < by UTF-16 unit; they differ only
// when astral characters meet U+E000..U+FFFF. Remapping the first differing unit fixes it.
function unitRank(u) {
  if (u >= 0xd800 && u <= 0xdfff) return u + 0x2000;
  if (u >= 0xe000) return u - 0x800;
  return u;
}

/** Three-way string comparison in code point order, like Python's. */
export function compareStrings(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) < unitRank(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** The total order of events: (hlc, device_id, seq), then id so equal keys stay stable. */
export function compareEvents(a, b) {
  return (
    compareStrings(a.hlc, b.hlc) ||
    compareStrings(a.device_id, b.device_id) ||
    (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0) ||
    compareStrings(a.id, b.id)
  );
}
