// Phone-to-phone links over WebRTC data channels, no server (docs/phone-link.md). Pairing:
// phone A shows an offer code, phone B scans it and shows its answer, A scans that. Codes are
// signed with the visit's link key (linkcode.js); once the channel opens, both ends prove the
// key again (challenge and HMAC) before any event flows. Host candidates only: no STUN/TURN.

import { forDisplay } from "./displayfeed.js";
import { CodeError, compactSdp, decodeCode, encodeCode, encodeDisplayOffer, expandSdp, tag } from "./linkcode.js";

const GATHER_MS = 3000;
const AUTH_MS = 5000;
const GRANT_SECONDS = 24 * 3600; // a display pairing's grant: one visit day

/** Resolves once ICE gathering is complete (host candidates: at once), or after GATHER_MS. */
export function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") {
      resolve();
      return;
    }
    const done = () => pc.iceGatheringState === "complete" && resolve();
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, GATHER_MS); // host candidates come at once; do not wait on others
  });
}

export const nonce = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

/**
 * All links of this phone for one visit. Events: "change" (detail: the peer list). Authenticated
 * channels are handed to `node` (a GossipNode) as links.
 */
export class LinkManager extends EventTarget {
  constructor({ visit, key, device, label, node, displayInfo = async () => null }) {
    super();
    Object.assign(this, { visit: String(visit), key, device, label, node, displayInfo });
    this.peers = new Map(); // id -> peer
    this.pendingOffer = null; // {pc, channel, code}
    this.pendingDisplay = null; // {pc, channel, code, grant}
    this.seq = 0;
  }

  list() {
    return [...this.peers.values()].map((p) => ({ id: p.id, device: p.device, label: p.label, state: p.state, since: p.since,
      role: p.role }));
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change", { detail: this.list() }));
  }

  newPc() {
    return new RTCPeerConnection({ iceServers: [] });
  }

  /** Step 1 (phone A): a signed offer code to show as a QR code. */
  async offer() {
    if (this.pendingOffer) this.pendingOffer.pc.close();
    const pc = this.newPc();
    const channel = pc.createDataChannel("jemput", { ordered: true });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const parts = compactSdp(pc.localDescription.sdp);
    const code = await encodeCode(this.key, { kind: "o", visit: this.visit, device: this.device, parts });
    this.pendingOffer = { pc, channel, code };
    return code;
  }

  /** Step 2 (phone B): scan A's offer code; returns the signed answer code to show. */
  async answer(offerCode) {
    const offer = await decodeCode(this.key, offerCode, this.visit);
    if (offer.kind !== "o") throw new CodeError("not_an_offer");
    const pc = this.newPc();
    const peer = this.track(pc, offer.device);
    pc.addEventListener("datachannel", (e) => this.attach(peer, e.channel));
    await pc.setRemoteDescription({ type: "offer", sdp: expandSdp(offer.parts, "offer") });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    const parts = compactSdp(pc.localDescription.sdp);
    return encodeCode(this.key, { kind: "a", visit: this.visit, device: this.device, parts }, offerCode);
  }

  /** Step 3 (phone A): scan B's answer code; the link opens by itself. */
  async accept(answerCode) {
    if (!this.pendingOffer) throw new CodeError("no_offer");
    const { pc, channel, code } = this.pendingOffer;
    const answer = await decodeCode(this.key, answerCode, this.visit, code);
    if (answer.kind !== "a") throw new CodeError("not_an_answer");
    this.pendingOffer = null;
    const peer = this.track(pc, answer.device);
    this.attach(peer, channel);
    await pc.setRemoteDescription({ type: "answer", sdp: expandSdp(answer.parts, "answer") });
  }

  /** A display (TV, laptop) with no account: an offer code carrying a display grant. */
  async offerDisplay() {
    if (this.pendingDisplay) this.pendingDisplay.pc.close();
    const pc = this.newPc();
    const channel = pc.createDataChannel("jemput", { ordered: true });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const parts = compactSdp(pc.localDescription.sdp);
    const gid = nonce().replace(/[^A-Za-z0-9]/g, "").slice(0, 10);
    const grant = { gid, exp: Math.floor(Date.now() / 1000) + GRANT_SECONDS };
    const { code, grant: key } = await encodeDisplayOffer(this.key, { visit: this.visit, device: this.device, parts }, grant);
    this.pendingDisplay = { pc, channel, code, grant: key };
    return code;
  }

  /** The display's answer (kind "u", signed with the grant): the display link opens. */
  async acceptDisplay(answerCode) {
    if (!this.pendingDisplay) throw new CodeError("no_offer");
    const { pc, channel, code, grant } = this.pendingDisplay;
    const answer = await decodeCode(grant, answerCode, this.visit, code);
    if (answer.kind !== "u") throw new CodeError("not_an_answer");
    this.pendingDisplay = null;
    const peer = this.track(pc, answer.device, "display");
    this.attach(peer, channel, grant);
    await pc.setRemoteDescription({ type: "answer", sdp: expandSdp(answer.parts, "answer") });
  }

  /** Scan handler for the pairing screen: offer -> answer code to show; answer -> null. */
  async scanned(text) {
    const kind = typeof text === "string" ? text.split("~")[1] : null;
    if (kind === "a" || kind === "u") {
      await (kind === "u" ? this.acceptDisplay(text) : this.accept(text));
      return null;
    }
    return this.answer(text);
  }

  track(pc, device, role = "phone") {
    // A new link to a phone replaces the old one (the phone restarted and paired again).
    for (const old of this.peers.values()) if (old.device === device) this.drop(old, "replaced");
    const peer = { id: `p${++this.seq}`, device, label: device, role, pc, channel: null, state: "connecting", since: Date.now(),
      authed: null, up: false };
    this.peers.set(peer.id, peer);
    pc.addEventListener("connectionstatechange", () => {
      const s = pc.connectionState;
      // "disconnected" is often a short Wi-Fi gap that ICE recovers from on its own;
      // "failed" cannot recover without new codes: the phones must pair again.
      if (s === "disconnected") this.setState(peer, "interrupted");
      else if (s === "failed" || s === "closed") this.setState(peer, "needs_pairing");
      else if (s === "connected" && peer.authed) this.setState(peer, "open");
    });
    this.changed();
    return peer;
  }

  setState(peer, state) {
    if (peer.state === state) return;
    peer.state = state;
    peer.since = Date.now();
    // Only a proven channel gossips; after a gap both ends exchange summaries again.
    if (state === "open" && peer.authed && !peer.up) {
      peer.up = true;
      this.node.linkUp(peer.authed);
    } else if (state !== "open" && peer.up) {
      peer.up = false;
      this.node.linkDown(peer.authed);
    }
    this.changed();
  }

  drop(peer, why = "closed") {
    this.setState(peer, why === "replaced" ? "replaced" : "needs_pairing");
    try {
      peer.pc.close();
    } catch {
      // already closed
    }
    this.peers.delete(peer.id);
    this.changed();
  }

  /**
   * Wire a data channel: prove the key both ways (the visit's link key; a display's grant), then
   * gossip over it. A display link only ever gets the display cut of each event, and nothing it
   * sends enters the log (it has only summaries to give).
   */
  attach(peer, channel, key = this.key) {
    peer.channel = channel;
    const mine = nonce();
    const display = peer.role === "display";
    let proven = false;
    const raw = (msg) => channel.readyState === "open" && channel.send(JSON.stringify(msg));
    const link = { send: (msg) => raw(display && msg.t === "events" ? { ...msg, events: msg.events.map(forDisplay) } : msg) };
    const opened = () => {
      channel.send(JSON.stringify({ t: "hello", nonce: mine, label: this.label }));
      setTimeout(() => {
        if (!proven) this.drop(peer);
      }, AUTH_MS);
    };
    if (channel.readyState === "open") opened();
    else channel.addEventListener("open", opened);
    channel.addEventListener("message", async (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.t === "hello") {
        if (msg.label) peer.label = String(msg.label).slice(0, 40);
        channel.send(JSON.stringify({ t: "proof", mac: await tag(key, `proof:${this.visit}:${msg.nonce}`) }));
      } else if (msg.t === "proof") {
        if (msg.mac !== (await tag(key, `proof:${this.visit}:${mine}`))) return this.drop(peer);
        proven = true;
        peer.authed = link;
        if (display) raw({ t: "visit", visit: this.visit, ...(await this.displayInfo()) }); // {header, students}
        this.setState(peer, "open");
      } else if (display && msg.t !== "have") {
        // A display makes no events: whatever else it sends is ignored.
      } else if (proven && peer.up) {
        this.node.receive(link, msg);
      }
    });
    channel.addEventListener("close", () => this.setState(peer, "needs_pairing"));
  }

  close() {
    for (const p of [...this.peers.values()]) this.drop(p);
    for (const p of [this.pendingOffer, this.pendingDisplay]) if (p) p.pc.close();
    this.pendingOffer = null;
    this.pendingDisplay = null;
  }
}
