// The pure parts of storage.js: when to warn about space, and what start-up concludes about
// the local database from the marker and the server's highest seq.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assessDatabase, fmtBytes, lostEvents, usageLevel } from "../../webapp/static/pwa/storage.js";

const device = { device_id: "d1" };

test("space warns above 80 % of the quota only", () => {
  assert.equal(usageLevel(80, 100).warn, false);
  assert.equal(usageLevel(81, 100).warn, true);
  assert.equal(usageLevel(5, 0).warn, false);
  assert.equal(usageLevel(5, 0).ratio, null);
});

test("no database and no marker: a first start", () => {
  assert.deepEqual(assessDatabase({ device: null, marker: null }), { state: "ok" });
});

test("no database but a marker: the database was lost", () => {
  const got = assessDatabase({ device: null, marker: { device_id: "d1", seq: 17, synced_at: null } });
  assert.equal(got.state, "lost");
  assert.equal(got.seq, 17);
  assert.equal(got.device_id, "d1");
});

test("the server knows a higher seq than the phone: continue after it", () => {
  const got = assessDatabase({ device, localSeq: 3, serverSeq: 9 });
  assert.deepEqual([got.state, got.seq, got.localSeq], ["behind", 9, 3]);
  assert.equal(assessDatabase({ device, localSeq: 9, serverSeq: 9 }).state, "ok");
  assert.equal(assessDatabase({ device, localSeq: 12, serverSeq: 9 }).state, "ok");
});

test("the marker of this device is ahead of the database (offline start)", () => {
  assert.equal(assessDatabase({ device, localSeq: 4, marker: { device_id: "d1", seq: 6 } }).seq, 6);
  // Another device's marker says nothing about this one.
  assert.equal(assessDatabase({ device, localSeq: 4, marker: { device_id: "d0", seq: 60 } }).state, "ok");
});

test("events lost = marker seq minus what the server holds, never negative", () => {
  assert.equal(lostEvents(12, 9), 3);
  assert.equal(lostEvents(9, 9), 0);
  assert.equal(lostEvents(2, 9), 0);
});

test("sizes read like a phone's settings", () => {
  assert.equal(fmtBytes(512, "en-GB"), "512 B");
  assert.equal(fmtBytes(1536, "en-GB"), "1.5 KB");
  assert.equal(fmtBytes(5 * 1024 * 1024, "id-ID"), "5 MB");
});
