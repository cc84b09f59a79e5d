// A queue display with no account, fed over the phone link (docs/phone-link.md, "The TV display").
// Its camera reads a team phone's display code (kind "t", carrying a display grant); it shows its
// answer (kind "u", signed with the grant), the phone scans that, and the phone then sends the
// display cut of every event (displayfeed.js). Held in memory only: a display stores nothing.

import { displayData } from "./displayfeed.js";
import { toRanges } from "./gossip.js";
import { gathered, nonce } from "./link.js";
import { compactSdp, decodeDisplayOffer, encodeCode, expandSdp, tag } from "./linkcode.js";

const AUTH_MS = 5000;
const deviceId = () => `tv-${nonce().replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}`;

/** Events: "change" (new events, a new state of the link). */
export class DisplayLink extends EventTarget {
  constructor({ label = "TV" } = {}) {
    super();
    this.label = label;
    this.device = deviceId();
    this.pc = null;
    this.visit = null; // the visit id
    this.header = null; // {id, school, stations}
    this.students = {};
    this.events = new Map();
    this.state = "idle"; // idle | connecting | open | interrupted | needs_pairing
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.changed();
  }

  /** The phone's display code read by the camera: the answer code to show to that phone. */
  async answer(text) {
    const offer = await decodeDisplayOffer(text, Date.now() / 1000);
    if (this.pc) this.pc.close();
    if (this.visit !== offer.visit) Object.assign(this, { header: null, students: {}, events: new Map() });
    this.visit = offer.visit;
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    this.setState("connecting");
    pc.addEventListener("connectionstatechange", () => {
      if (pc !== this.pc) return;
      const s = pc.connectionState;
      if (s === "disconnected") this.setState("interrupted");
      else if (s === "failed" || s === "closed") this.setState("needs_pairing");
      else if (s === "connected" && this.proven) this.setState("open");
    });
    pc.addEventListener("datachannel", (e) => this.attach(e.channel, offer));
    await pc.setRemoteDescription({ type: "offer", sdp: expandSdp(offer.parts, "offer") });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    const parts = compactSdp(pc.localDescription.sdp);
    return encodeCode(offer.grant, { kind: "u", visit: offer.visit, device: this.device, parts }, text);
  }

  summary() {
    const seqs = new Map();
    for (const ev of this.events.values()) {
      if (!seqs.has(ev.device_id)) seqs.set(ev.device_id, []);
      seqs.get(ev.device_id).push(ev.seq);
    }
    return Object.fromEntries([...seqs].map(([dev, list]) => [dev, toRanges(list)]));
  }

  attach(channel, offer) {
    const mine = nonce();
    this.proven = false;
    const send = (msg) => channel.readyState === "open" && channel.send(JSON.stringify(msg));
    const opened = () => {
      send({ t: "hello", nonce: mine, label: this.label });
      setTimeout(() => {
        if (!this.proven) this.fail(channel);
      }, AUTH_MS);
    };
    if (channel.readyState === "open") opened();
    else channel.addEventListener("open", opened);
    channel.addEventListener("close", () => this.setState("needs_pairing"));
    channel.addEventListener("message", async (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!msg || (msg.visit !== undefined && msg.visit !== offer.visit)) return;
      if (msg.t === "hello") {
        send({ t: "proof", mac: await tag(offer.grant, `proof:${offer.visit}:${msg.nonce}`) });
      } else if (msg.t === "proof") {
        if (msg.mac !== (await tag(offer.grant, `proof:${offer.visit}:${mine}`))) return this.fail(channel);
        this.proven = true;
        this.setState("open");
      } else if (!this.proven) {
        // nothing before the proof
      } else if (msg.t === "visit") {
        this.header = msg.header;
        for (const [sid, key] of msg.students || []) this.students[sid] = key;
        this.changed();
      } else if (msg.t === "have") {
        send({ t: "have", visit: offer.visit, have: this.summary() }); // the phone sends what is missing
      } else if (msg.t === "events" && Array.isArray(msg.events)) {
        let fresh = 0;
        for (const ev of msg.events) {
          if (ev && typeof ev.id === "string" && !this.events.has(ev.id)) {
            this.events.set(ev.id, ev);
            fresh += 1;
          }
        }
        if (fresh) this.changed();
      }
      return null;
    });
  }

  fail(channel) {
    channel.close();
    this.setState("needs_pairing");
  }

  /** {visit, events, folded} for the screen, or null before the phone said which visit. */
  data() {
    if (!this.header) return null;
    return displayData(this.header, [...this.events.values()], this.students);
  }
}
