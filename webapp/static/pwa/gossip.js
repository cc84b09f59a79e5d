// Gossip of one visit's event log between linked phones (docs/phone-link.md). Pure and
// transport-agnostic: a link is any object with send(message); the owner reports link up,
// messages and link down. The fold is convergent under any order and duplication, so gossip
// only has to make every event reach every phone: push what is new, and on every link-up
// exchange summaries ("the seqs I hold per device") and send the other side what it lacks.

export const BATCH = 200; // events per message: well under a data channel's message limit

/** Compress a set of seqs into sorted [from, to] ranges (seqs are gap-free per device). */
export function toRanges(seqs) {
  const sorted = [...seqs].sort((a, b) => a - b);
  const out = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s === last[1] + 1) last[1] = s;
    else if (!last || s > last[1]) out.push([s, s]);
  }
  return out;
}

const inRanges = (ranges, seq) => Array.isArray(ranges) && ranges.some(([a, b]) => seq >= a && seq <= b);

function wellFormed(ev) {
  return ev !== null && typeof ev === "object" && typeof ev.id === "string" && typeof ev.device_id === "string"
    && Number.isInteger(ev.seq) && ev.id === `${ev.device_id}:${ev.seq}`;
}

export class GossipNode {
  /**
   * `onEvents(events, link)` is told of events new to this node (from a link; link is null for
   * local ones added with quiet=false); `visit` keeps links of two visits apart.
   */
  constructor({ visit, onEvents = () => {} } = {}) {
    this.visit = String(visit);
    this.onEvents = onEvents;
    this.events = new Map(); // id -> event
    this.seqs = new Map(); // device_id -> Set(seq)
    this.links = new Set();
  }

  has(id) {
    return this.events.has(id);
  }

  /** Add events; return the new ones, which also go out to every link but `from`. */
  add(events, from = null) {
    const fresh = [];
    for (const ev of events) {
      if (!wellFormed(ev) || this.events.has(ev.id)) continue;
      this.events.set(ev.id, ev);
      if (!this.seqs.has(ev.device_id)) this.seqs.set(ev.device_id, new Set());
      this.seqs.get(ev.device_id).add(ev.seq);
      fresh.push(ev);
    }
    if (fresh.length) {
      for (const link of this.links) if (link !== from) this.sendEvents(link, fresh);
    }
    return fresh;
  }

  /** Events made on this phone (or learnt from the server): keep and pass on. */
  addLocal(events) {
    return this.add(events, null);
  }

  summary() {
    const have = {};
    for (const [dev, seqs] of this.seqs) have[dev] = toRanges(seqs);
    return have;
  }

  sendEvents(link, events) {
    for (let i = 0; i < events.length; i += BATCH) {
      link.send({ t: "events", visit: this.visit, events: events.slice(i, i + BATCH) });
    }
  }

  linkUp(link) {
    this.links.add(link);
    link.send({ t: "have", visit: this.visit, have: this.summary() });
  }

  linkDown(link) {
    this.links.delete(link);
  }

  /** A message from a link; returns the events new to this node. */
  receive(link, msg) {
    if (!msg || msg.visit !== this.visit || !this.links.has(link)) return [];
    if (msg.t === "have") {
      const have = msg.have && typeof msg.have === "object" ? msg.have : {};
      const missing = [...this.events.values()].filter((ev) => !inRanges(have[ev.device_id], ev.seq));
      if (missing.length) this.sendEvents(link, missing);
      return [];
    }
    if (msg.t === "events" && Array.isArray(msg.events)) {
      const fresh = this.add(msg.events, link);
      if (fresh.length) this.onEvents(fresh, link);
      return fresh;
    }
    return [];
  }
}
