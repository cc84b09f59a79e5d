// The sync loop (webapp/static/pwa/sync.js) against an in-memory store and a fake server that
// follows protocol.md: batches, 413 halving, rejections kept, nothing lost on a dropped answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SyncError, planAnswer, syncVisit } from "../../webapp/static/pwa/sync.js";

function memoryStore(device = "hpA", count = 0) {
  const recs = new Map();
  for (let seq = 1; seq <= count; seq++) {
    recs.set(`${device}:${seq}`, { status: "outbox", seq, ev: { id: `${device}:${seq}`, device_id: device, seq, type: "checkin", student_id: `s${seq}` } });
  }
  const state = { cursor: null };
  return {
    recs, state,
    getDevice: async () => ({ device_id: device, token: "t" }),
    getSyncState: async () => state,
    outbox: async (_vid, limit) => [...recs.values()].filter((r) => r.status === "outbox").sort((a, b) => a.seq - b.seq).slice(0, limit).map((r) => r.ev),
    countOutbox: async () => [...recs.values()].filter((r) => r.status === "outbox").length,
    applyAnswer: async (_vid, sent, answer) => {
      const plan = planAnswer(sent, answer);
      for (const id of plan.synced) recs.get(id).status = "synced";
      for (const r of plan.rejected) Object.assign(recs.get(r.id), { status: "rejected", rejection: r });
      let received = 0;
      for (const ev of answer.events || []) if (!recs.has(ev.id)) { recs.set(ev.id, { status: "remote", seq: ev.seq, ev }); received++; }
      state.cursor = answer.cursor;
      return { handled: plan.synced.length + plan.rejected.length, received };
    },
  };
}

/** A protocol-shaped server: stores events by id, rejects unknown students, pages its answer. */
function fakeServer({ maxEvents = 500, others = [], page = 1000, dropAnswers = 0, reject = () => null } = {}) {
  const stored = new Map(others.map((e, i) => [e.id, { ev: e, pos: i + 1 }]));
  let pos = others.length;
  const server = { stored, requests: [], drop: dropAnswers };
  server.api = {
    post: async (path, body) => {
      server.requests.push(body.events.length);
      if (body.events.length > maxEvents) return { status: 413, body: { code: "too_many_events" } };
      const answer = { accepted: [], duplicates: [], rejected: [], conflicts: [], events: [] };
      for (const ev of body.events) {
        const code = reject(ev);
        if (code) answer.rejected.push({ id: ev.id, code, message: code });
        else if (stored.has(ev.id)) answer.duplicates.push(ev.id);
        else {
          stored.set(ev.id, { ev, pos: ++pos });
          answer.accepted.push(ev.id);
        }
      }
      const since = body.cursor ? Number(body.cursor) : 0;
      const theirs = [...stored.values()].filter((s) => s.pos > since && s.ev.device_id !== body.device_id).sort((a, b) => a.pos - b.pos);
      answer.events = theirs.slice(0, page).map((s) => s.ev);
      answer.more = theirs.length > page;
      answer.cursor = String(answer.more ? theirs[page - 1].pos : pos);
      if (server.drop > 0) {
        server.drop -= 1;
        return { status: 0, body: null }; // stored, but the answer never reached the phone
      }
      return { status: 200, body: answer };
    },
  };
  return server;
}

test("sends the outbox in batches, in seq order, and empties it", async () => {
  const store = memoryStore("hpA", 7);
  const server = fakeServer();
  const progress = [];
  const res = await syncVisit({ store, api: server.api, visitId: "1", batch: 3, onProgress: (p) => progress.push(p.sent) });
  assert.deepEqual(server.requests, [3, 3, 1]); // the last batch also pulled
  assert.equal(res.sent, 7);
  assert.equal(await store.countOutbox(), 0);
  assert.deepEqual(progress, [0, 3, 6, 7]);
});

test("a 413 halves the batch until the server takes it", async () => {
  const store = memoryStore("hpA", 9);
  const server = fakeServer({ maxEvents: 2 });
  const res = await syncVisit({ store, api: server.api, visitId: "1", batch: 8 });
  assert.deepEqual(server.requests.slice(0, 3), [8, 4, 2]);
  assert.equal(res.batch, 2);
  assert.equal(await store.countOutbox(), 0);
  assert.equal(server.stored.size, 9);
});

test("halving starts from the events really sent, not the nominal batch", async () => {
  const store = memoryStore("hpA", 7);
  const server = fakeServer({ maxEvents: 2 });
  await syncVisit({ store, api: server.api, visitId: "1", batch: 200 });
  assert.deepEqual(server.requests.slice(0, 3), [7, 3, 1]);
  assert.equal(server.stored.size, 7);
});

test("a 413 on a single event is an error, and nothing leaves the outbox", async () => {
  const store = memoryStore("hpA", 1);
  const server = fakeServer({ maxEvents: 0 });
  await assert.rejects(syncVisit({ store, api: server.api, visitId: "1", batch: 4 }), (e) => e instanceof SyncError && e.code === "too_large");
  assert.equal(await store.countOutbox(), 1);
});

test("rejected events leave the outbox but are kept with their code", async () => {
  const store = memoryStore("hpA", 4);
  const server = fakeServer({ reject: (ev) => (ev.student_id === "s3" ? "unknown_student" : null) });
  await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(await store.countOutbox(), 0);
  const rec = store.recs.get("hpA:3");
  assert.equal(rec.status, "rejected");
  assert.equal(rec.rejection.code, "unknown_student");
  assert.equal([...store.recs.values()].filter((r) => r.status === "synced").length, 3);
});

test("an answer lost mid-sync loses nothing: the resend comes back as duplicates", async () => {
  const store = memoryStore("hpA", 5);
  const server = fakeServer({ dropAnswers: 1 });
  await assert.rejects(syncVisit({ store, api: server.api, visitId: "1" }), (e) => e.code === "offline");
  assert.equal(await store.countOutbox(), 5); // the server has them, the phone still holds them
  await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(await store.countOutbox(), 0);
  assert.equal(server.stored.size, 5);
});

test("other devices' events are received, paged with `more`, and the cursor advances", async () => {
  const others = Array.from({ length: 5 }, (_, i) => ({ id: `hpB:${i + 1}`, device_id: "hpB", seq: i + 1, type: "checkin", student_id: "s9" }));
  const store = memoryStore("hpA", 0);
  const server = fakeServer({ others, page: 2 });
  const res = await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(res.received, 5);
  assert.equal(res.rounds, 3);
  assert.equal(store.state.cursor, "5");
  const again = await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(again.received, 0);
});

test("a 200 that names none of our events stops with not_acknowledged", async () => {
  const store = memoryStore("hpA", 2);
  const api = { post: async () => ({ status: 200, body: { accepted: [], duplicates: [], rejected: [], events: [], cursor: null } }) };
  await assert.rejects(syncVisit({ store, api, visitId: "1" }), (e) => e.code === "not_acknowledged");
  assert.equal(await store.countOutbox(), 2);
});

test("401 and other statuses map to stable codes", async () => {
  for (const [status, code] of [[401, "unauthorized"], [403, "forbidden"], [404, "not_found"], [500, "server"]]) {
    const store = memoryStore("hpA", 1);
    const api = { post: async () => ({ status, body: { message: "x" } }) };
    await assert.rejects(syncVisit({ store, api, visitId: "1" }), (e) => e.code === code && e.status === status);
  }
});

test("planAnswer sorts sent events into synced, rejected, remaining", () => {
  const sent = [{ id: "a:1" }, { id: "a:2" }, { id: "a:3" }, { id: "a:4" }];
  const plan = planAnswer(sent, { accepted: ["a:1"], duplicates: ["a:2"], rejected: [{ id: "a:3", code: "invalid_field", message: "m", field: "station" }] });
  assert.deepEqual(plan, { synced: ["a:1", "a:2"], rejected: [{ id: "a:3", code: "invalid_field", message: "m", field: "station" }], remaining: ["a:4"] });
});

test("a closed visit's roster is purged only once nothing is left to send", async () => {
  const { shouldPurge } = await import("../../webapp/static/pwa/sync.js");
  assert.equal(shouldPurge({ visitStatus: "closed" }, 0), true);
  assert.equal(shouldPurge({ visitStatus: "closed" }, 3), false);
  assert.equal(shouldPurge({ visitStatus: "open" }, 0), false);
  assert.equal(shouldPurge(null, 0), false);
});

test("a closed visit's roster stays on the phone until the grace period has passed", async () => {
  const { shouldPurge } = await import("../../webapp/static/pwa/sync.js");
  const result = { visitStatus: "closed", purgeAfter: "2026-12-06T10:00:00.000Z" };
  assert.equal(shouldPurge(result, 0, Date.parse("2026-12-06T09:59:59Z")), false);
  assert.equal(shouldPurge(result, 0, Date.parse("2026-12-06T10:00:00Z")), true);
  assert.equal(shouldPurge(result, 1, Date.parse("2026-12-07T10:00:00Z")), false);
});

test("syncVisit passes on the grace period the server answered", async () => {
  const store = memoryStore("hpA", 1);
  const server = fakeServer();
  const post = server.api.post;
  server.api.post = async (path, body) => {
    const res = await post(path, body);
    return { ...res, body: { ...res.body, visit_status: "closed", purge_after: "2026-12-07T01:00:00+00:00" } };
  };
  const result = await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(result.purgeAfter, "2026-12-07T01:00:00+00:00");
});

test("syncVisit reports the visit status the server answered", async () => {
  const store = memoryStore("hpA", 2);
  const server = fakeServer();
  const post = server.api.post;
  server.api.post = async (path, body) => {
    const res = await post(path, body);
    return { ...res, body: { ...res.body, visit_status: "closed" } };
  };
  const result = await syncVisit({ store, api: server.api, visitId: "1" });
  assert.equal(result.visitStatus, "closed");
  assert.equal(result.sent, 2);
});
