// Queue tickets: per-device prefix + per-device counter (webapp/static/pwa/tickets.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { allocateTicket, compareTickets, formatTicket, nextNumber, parseTicket, spokenTicket } from "../../webapp/static/pwa/tickets.js";

test("format pads to three digits and grows past 999", () => {
  assert.equal(formatTicket("A", 14), "A-014");
  assert.equal(formatTicket("AB", 1), "AB-001");
  assert.equal(formatTicket("C", 1000), "C-1000");
});

test("format refuses a bad prefix or number", () => {
  assert.throws(() => formatTicket("a", 1), TypeError);
  assert.throws(() => formatTicket("ABCD", 1), TypeError);
  assert.throws(() => formatTicket("A", 0), RangeError);
  assert.throws(() => formatTicket("A", 1.5), RangeError);
});

test("parse is the inverse of format and rejects junk", () => {
  for (const [p, n] of [["A", 1], ["Z", 999], ["AA", 1000]]) assert.deepEqual(parseTicket(formatTicket(p, n)), { prefix: p, number: n });
  for (const junk of ["A14", "a-014", "A-01", "", null, 14, "A-014 "]) assert.equal(parseTicket(junk), null);
});

test("next number is one past the counter and every known ticket of this prefix", () => {
  assert.equal(nextNumber(0, "A"), 1);
  assert.equal(nextNumber(13, "A"), 14);
  // A lost or stale counter never hands a ticket out twice.
  assert.equal(nextNumber(2, "A", ["A-007", "B-050", "A-003"]), 8);
  assert.equal(nextNumber(undefined, "B", ["A-007"]), 1);
});

test("allocate returns the ticket and the counter to store; a run is gap-free and unique", () => {
  let counter = 0;
  const seen = [];
  for (let i = 0; i < 30; i++) {
    const out = allocateTicket("D", counter);
    counter = out.counter;
    seen.push(out.ticket);
  }
  assert.equal(new Set(seen).size, 30);
  assert.equal(seen[0], "D-001");
  assert.equal(seen[29], "D-030");
});

test("two devices never clash: prefixes differ", () => {
  const a = allocateTicket("A", 0).ticket;
  const b = allocateTicket("B", 0).ticket;
  assert.notEqual(a, b);
});

test("ordering: prefix (shorter first), then number", () => {
  const list = ["B-002", "AA-001", "A-010", "A-002", "junk", "B-001"];
  assert.deepEqual([...list].sort(compareTickets), ["A-002", "A-010", "B-001", "B-002", "AA-001", "junk"]);
});

test("spoken form for the queue display", () => {
  assert.equal(spokenTicket("A-014"), "A 14");
  assert.equal(spokenTicket("AB-003"), "A B 3");
});
