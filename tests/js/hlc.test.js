// The JavaScript clock helper mirrors fieldsync/hlc.py (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  HLC, compareEvents, compareStrings, formatHlc, isHlc, parseHlc, receive, tick,
} from "../../webapp/static/pwa/hlc.js";

test("format and parse", () => {
  assert.equal(formatHlc(1764230130123, 2), "1764230130123-0002");
  assert.deepEqual(parseHlc("1764230130123-0002"), [1764230130123, 2]);
  for (const bad of ["1764230130123-2", "1764230130123-0002\n", "", null, 17]) {
    assert.equal(isHlc(bad), false);
    assert.throws(() => parseHlc(bad));
  }
  assert.throws(() => formatHlc(10 ** 13, 0));
});

test("tick: wall clock when it moved on, counter otherwise, overflow borrows a ms", () => {
  assert.equal(tick(null, 1000), "0000000001000-0000");
  assert.equal(tick("0000000001000-0003", 2000), "0000000002000-0000");
  assert.equal(tick("0000000001000-0003", 1000), "0000000001000-0004");
  assert.equal(tick("0000000001000-0003", 500), "0000000001000-0004");
  assert.equal(tick("0000000001000-9999", 1000), "0000000001001-0000");
});

test("receive: the same examples as the Python tests", () => {
  assert.equal(receive("0000000001000-0001", "0000000001000-0005", 900), "0000000001000-0006");
  assert.equal(receive("0000000001000-0001", "0000000002000-0005", 900), "0000000002000-0006");
  assert.equal(receive("0000000003000-0001", "0000000002000-0005", 900), "0000000003000-0002");
  assert.equal(receive("0000000001000-0001", "0000000002000-0005", 5000), "0000000005000-0000");
  assert.equal(receive(null, "0000000002000-0005", 0), "0000000002000-0006");
});

test("random clocks: tick and receive always move forward, text order is numeric order", () => {
  let s = 12345;
  const rand = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
  for (let i = 0; i < 2000; i++) {
    const a = formatHlc(rand(5000), rand(10000));
    const b = formatHlc(rand(5000), rand(10000));
    const now = rand(6000);
    assert.ok(tick(a, now) > a);
    const r = receive(a, b, now);
    assert.ok(r > a && r > b);
    const [am, ac] = parseHlc(a);
    const [bm, bc] = parseHlc(b);
    assert.equal(a < b, am < bm || (am === bm && ac < bc));
  }
});

test("HLC class", () => {
  const clock = new HLC();
  const a = clock.tick(1000);
  const b = clock.tick(1000);
  const c = clock.receive("0000000009000-0000", 1000);
  assert.ok(a < b && b < c && c === clock.last);
  assert.throws(() => new HLC("nonsense"));
});

test("compareEvents: hlc, then device_id, then seq as a number", () => {
  const e = (hlc, d, seq) => ({ id: `${d}:${seq}`, hlc, device_id: d, seq });
  const events = [
    e("0000000000002-0000", "hpA", 1),
    e("0000000000001-0000", "hpB", 10),
    e("0000000000001-0000", "hpB", 9),
    e("0000000000001-0000", "hpA", 12),
  ];
  assert.deepEqual(events.sort(compareEvents).map((x) => x.id), ["hpA:12", "hpB:9", "hpB:10", "hpA:1"]);
});

test("compareStrings follows code points like Python", () => {
  assert.equal(compareStrings("a", "b"), -1);
  assert.equal(compareStrings("ab", "a"), 1);
  assert.equal(compareStrings("x", "x"), 0);
  // U+FF21 (one UTF-16 unit, 0xFF21) sorts before U+1F600 (surrogates 0xD83D...) in Python.
  assert.equal(compareStrings("\uFF21", "\u{1F600}"), -1);
  assert.equal("\uFF21" < "\u{1F600}", false); // what plain < would get wrong
});
