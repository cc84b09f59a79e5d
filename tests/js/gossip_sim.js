// A simulated visit for the gossip tests: five phones (gate, three desks, a TV) joined by
// in-memory links that drop, reorder and duplicate messages, on a virtual clock. The phones run
// the real gossip, fold, queue and arbitration modules; only the radio is simulated.
import { fold, canonicalJson } from "../../webapp/static/pwa/fold.js";
import { GossipNode } from "../../webapp/static/pwa/gossip.js";
import { receive, tick } from "../../webapp/static/pwa/hlc.js";
import { CALL_LOST_REASON, callSpec, deriveQueue, myLostCalls, nextWaiting } from "../../webapp/static/pwa/queue.js";

export function rng(seed) {
  // mulberry32: small, seeded, good enough to pick delays and coin flips.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Clock {
  constructor() {
    this.time = 0;
    this.heap = [];
    this.n = 0;
  }

  at(time, fn) {
    // A plain sorted insert keeps ties in schedule order (the runs stay deterministic).
    const item = { time, n: this.n++, fn };
    let i = this.heap.length;
    while (i > 0 && (this.heap[i - 1].time > time || (this.heap[i - 1].time === time && this.heap[i - 1].n > item.n))) i--;
    this.heap.splice(i, 0, item);
  }

  run(until = Infinity) {
    while (this.heap.length && this.heap[0].time <= until) {
      const item = this.heap.shift();
      this.time = item.time;
      item.fn();
    }
  }
}

const STATIONS = 3;
const BASE_MS = 1764205200000;

class Phone {
  constructor(sim, device, skew) {
    this.sim = sim;
    this.device = device;
    this.skew = skew;
    this.seq = 0;
    this.hlc = null;
    this.view = null;
    this.node = new GossipNode({ visit: "v1", onEvents: (evs) => this.heard(evs) });
  }

  now() {
    return BASE_MS + this.sim.clock.time + this.skew;
  }

  heard(evs) {
    for (const ev of evs) this.hlc = receive(this.hlc, ev.hlc, this.now());
    this.view = null;
  }

  make(specs) {
    const out = specs.map((spec) => {
      this.seq += 1;
      this.hlc = tick(this.hlc, this.now());
      return { ...spec, id: `${this.device}:${this.seq}`, device_id: this.device, seq: this.seq, hlc: this.hlc,
        at: new Date(this.now()).toISOString() };
    });
    this.node.addLocal(out);
    this.view = null;
    for (const ev of out) this.sim.made.push({ ev, time: this.sim.clock.time });
    return out;
  }

  state() {
    if (!this.view) {
      const events = [...this.node.events.values()];
      const folded = fold(events, this.sim.students);
      this.view = { folded, queue: deriveQueue(events, folded, STATIONS) };
    }
    return this.view;
  }
}

/** One desk's behaviour: annul lost calls, record its student after a while, call the next. */
function deskTurn(sim, phone, station) {
  const { folded, queue } = phone.state();
  const lost = myLostCalls(queue, phone.device);
  if (lost.length) {
    sim.lostSeen += lost.length;
    phone.make(lost.map((ev) => ({ type: "undo", target: ev.id, reason: CALL_LOST_REASON })));
    return true;
  }
  const cur = queue.desks[station - 1].current;
  if (cur && cur.call.device_id === phone.device) {
    const since = sim.clock.time - (phone.calledAt.get(cur.call_id) ?? sim.clock.time);
    if (since < sim.recordMs) return true;
    if (folded.students[cur.student_id].outcome === "recorded") {
      // Another phone recorded this student: never a second recording.
      phone.make([{ type: "undo", target: cur.call_id, reason: CALL_LOST_REASON }]);
      sim.refusedRecordings += 1;
      return true;
    }
    phone.make([{ type: "outcome", student_id: cur.student_id, result: "recorded" }]);
    return true;
  }
  const next = nextWaiting(queue);
  if (!next) return false;
  const [call] = phone.make([callSpec(queue, next.student_id, station)]);
  phone.calledAt.set(call.id, sim.clock.time);
  return true;
}

/**
 * Run one seeded visit. Until `upAt` links drop and come back at random; after it every link is
 * up (messages are still reordered and duplicated). Returns the phones and what happened.
 */
export function simulate(seed, { students = 12, upAt = 6000, topology = null, isolate = null } = {}) {
  const rand = rng(seed);
  const clock = new Clock();
  const sim = { clock, made: [], lostSeen: 0, refusedRecordings: 0, recordMs: 0, messages: 0 };
  sim.students = Array.from({ length: students }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
  const names = ["gate", "desk1", "desk2", "desk3", "tv"];
  const phones = names.map((n) => new Phone(sim, n, Math.floor(rand() * 1000) - 500));
  const [gate, ...rest] = phones;
  const desks = rest.slice(0, 3);
  const star = topology ? topology === "star" : rand() < 0.5;
  const pairs = [];
  for (let i = 0; i < phones.length; i++) {
    for (let j = i + 1; j < phones.length; j++) if (!star || i === 0) pairs.push([phones[i], phones[j]]);
  }
  const dupP = rand() * 0.3;
  sim.recordMs = 200 + Math.floor(rand() * 1800);
  const maxDelay = 20 + Math.floor(rand() * 100);

  const links = pairs.map(([a, b]) => {
    const link = { a, b, up: false, epoch: 0, end: new Map() };
    // A phone's end of the link: what it sends there reaches the other phone's end.
    const endOf = (other) => ({
      send(msg) {
        sim.messages += 1;
        const epoch = link.epoch;
        const text = JSON.stringify(msg);
        const copies = rand() < dupP ? 2 : 1;
        for (let c = 0; c < copies; c++) {
          clock.at(clock.time + 1 + Math.floor(rand() * maxDelay), () => {
            // A message in flight when the link dropped is lost.
            if (link.up && link.epoch === epoch) other.node.receive(link.end.get(other), JSON.parse(text));
          });
        }
      },
    });
    link.end.set(a, endOf(b));
    link.end.set(b, endOf(a));
    return link;
  });
  const setUp = (link, up) => {
    if (link.up === up) return;
    link.up = up;
    link.epoch += 1;
    for (const p of [link.a, link.b]) {
      if (up) p.node.linkUp(link.end.get(p));
      else p.node.linkDown(link.end.get(p));
    }
  };
  for (const link of links) setUp(link, rand() < 0.7);

  if (isolate) {
    // Every student checked in while all is up, then one desk is cut off until upAt.
    links.forEach((l) => setUp(l, true));
    clock.at(upAt * 0.3, () => links.forEach((l) => setUp(l, !(l.a.device === isolate || l.b.device === isolate))));
  }
  // Link chaos until upAt, then everything up for good.
  if (!isolate) {
    for (let t = 100; t < upAt; t += 100 + Math.floor(rand() * 900)) {
      clock.at(t, () => {
        for (const link of links) if (rand() < 0.25) setUp(link, !link.up);
      });
    }
  }
  clock.at(upAt, () => links.forEach((l) => setUp(l, true)));

  // The gate checks in every student at a random moment of the first part of the visit.
  sim.students.forEach((sid, i) => {
    clock.at(Math.floor(rand() * upAt * (isolate ? 0.25 : 0.8)), () => {
      gate.make([{ type: "checkin", student_id: sid }, { type: "enqueue", student_id: sid, ticket: `G-${String(i + 1).padStart(3, "0")}` }]);
    });
  });

  desks.forEach((phone, d) => {
    phone.calledAt = new Map();
    const turn = () => {
      const busy = deskTurn(sim, phone, d + 1);
      // A desk with nothing to do after the links are up and the gate finished stops.
      if (busy || clock.time < upAt + 2000) clock.at(clock.time + 50 + Math.floor(rand() * 250), turn);
    };
    clock.at(Math.floor(rand() * 300), turn);
  });

  clock.run();
  return { phones, sim, star, settledAt: upAt + 2 * maxDelay + 1 };
}

/** The canonical JSON of a phone's fold. */
export const foldText = (phone, students) => canonicalJson(fold([...phone.node.events.values()], students));
