// Pairing codes for the phone link (docs/phone-link.md): a WebRTC offer or answer cut down to
// what a data channel needs (ICE ufrag/pwd, DTLS fingerprint, host candidates), signed with an
// HMAC of the visit's link key so a phone of another visit (or a stranger) cannot pair, and
// small enough for a QR code a cheap phone scans at arm's length. Pure; node-tested.

export const VERSION = "JL1";
const SEP = "~";

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
function unb64url(text) {
  const s = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(s + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => Uint8Array.from(text.match(/../g) || [], (h) => parseInt(h, 16));

const MDNS = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\.local$/i;

/** A candidate's address in short form: an mDNS name as 22 base64url chars, an IP as is. */
function packHost(host) {
  const m = MDNS.exec(host);
  return m ? `m${b64url(unhex(m.slice(1).join("")))}` : host.includes(":") ? `6${host.replace(/:/g, "_")}` : host;
}

function unpackHost(text) {
  if (text.startsWith("m")) {
    const h = hex(unb64url(text.slice(1)));
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}.local`;
  }
  return text.startsWith("6") ? text.slice(1).replace(/_/g, ":") : text;
}

/** The parts of an SDP the other phone needs: {ufrag, pwd, fp (hex), cands: ["host,port"]}. */
export function compactSdp(sdp) {
  const line = (re) => {
    const m = sdp.match(re);
    return m ? m[1].trim() : null;
  };
  const fp = line(/a=fingerprint:sha-256 ([0-9A-F:]+)/i);
  const cands = [];
  for (const m of sdp.matchAll(/a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/gi)) {
    if (cands.length < 4) cands.push(`${packHost(m[1])},${m[2]}`);
  }
  return { ufrag: line(/a=ice-ufrag:(\S+)/), pwd: line(/a=ice-pwd:(\S+)/), fp: fp ? fp.replace(/:/g, "").toLowerCase() : null, cands };
}

/** A full SDP for a data-channel-only session from its compact parts. */
export function expandSdp(parts, type) {
  const fp = parts.fp.toUpperCase().match(/../g).join(":");
  const lines = [
    "v=0", `o=- ${Date.now()} 2 IN IP4 127.0.0.1`, "s=-", "t=0 0", "a=group:BUNDLE 0", "a=msid-semantic: WMS",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
  ];
  parts.cands.forEach((c, i) => {
    const [host, port] = c.split(",");
    lines.push(`a=candidate:${i + 1} 1 udp ${2113937151 - i} ${unpackHost(host)} ${port} typ host generation 0`);
  });
  lines.push(`a=ice-ufrag:${parts.ufrag}`, `a=ice-pwd:${parts.pwd}`, `a=fingerprint:sha-256 ${fp}`,
    `a=setup:${type === "offer" ? "actpass" : "active"}`, "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144");
  return `${lines.join("\r\n")}\r\n`;
}

async function hmac(keyHex, text) {
  const key = await crypto.subtle.importKey("raw", unhex(keyHex), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
}

/** HMAC-SHA256 of `text` under the visit's link key, base64url, 128 bits. */
export async function tag(keyHex, text) {
  return b64url((await hmac(keyHex, text)).slice(0, 16));
}

/**
 * A signed pairing code. kind "o" (offer) or "a" (answer); `bind` is the offer's code when
 * signing an answer, so an answer only fits the offer it was made for.
 */
export async function encodeCode(keyHex, { kind, visit, device, parts }, bind = "") {
  const body = [VERSION, kind, visit, device, parts.ufrag, parts.pwd, b64url(unhex(parts.fp)), parts.cands.join(";")].join(SEP);
  return `${body}${SEP}${await tag(keyHex, body + bind)}`;
}

export class CodeError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

/** Parse and check a code; throws CodeError("not_a_link_code" | "other_visit" | "bad_signature"). */
export async function decodeCode(keyHex, text, visit, bind = "") {
  const fields = typeof text === "string" ? text.split(SEP) : [];
  if (fields.length !== 9 || fields[0] !== VERSION || !["o", "a"].includes(fields[1])) throw new CodeError("not_a_link_code");
  const [, kind, codeVisit, device, ufrag, pwd, fp, cands, sig] = fields;
  if (codeVisit !== String(visit)) throw new CodeError("other_visit");
  const body = fields.slice(0, 8).join(SEP);
  if ((await tag(keyHex, body + bind)) !== sig) throw new CodeError("bad_signature");
  return { kind, visit: codeVisit, device, parts: { ufrag, pwd, fp: hex(unb64url(fp)), cands: cands ? cands.split(";") : [] } };
}
