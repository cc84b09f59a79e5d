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
  if (fields.length === 12 && fields[0] === VERSION && fields[1] === "t") throw new CodeError("display_code");
  if (fields.length !== 9 || fields[0] !== VERSION || !["o", "a", "u"].includes(fields[1])) throw new CodeError("not_a_link_code");
  const [, kind, codeVisit, device, ufrag, pwd, fp, cands, sig] = fields;
  if (codeVisit !== String(visit)) throw new CodeError("other_visit");
  const body = fields.slice(0, 8).join(SEP);
  if ((await tag(keyHex, body + bind)) !== sig) throw new CodeError("bad_signature");
  return { kind, visit: codeVisit, device, parts: { ufrag, pwd, fp: hex(unb64url(fp)), cands: cands ? cands.split(";") : [] } };
}

// A display (a TV or laptop with no account) has no link key. The phone that pairs it gives it a
// display grant: a key derived from the link key for one display pairing (id, expiry), which
// signs the display's answer and the channel proof. It cannot be turned back into the link key,
// cannot sign a phone's code, and carries no right to read: what crosses a display link is
// decided by the phone (displayfeed.js). Threat model: docs/phone-link.md, SECURITY.md.

/** The grant for display pairing `gid` until `exp` (unix seconds): 128 bits, hex. */
export async function displayGrant(keyHex, visit, gid, exp) {
  return hex((await hmac(keyHex, `display-grant:${visit}:${gid}:${exp}`)).slice(0, 16));
}

/** A phone's offer to a display (kind "t"), carrying the grant: {code, grant}. */
export async function encodeDisplayOffer(keyHex, { visit, device, parts }, { gid, exp }) {
  const grant = await displayGrant(keyHex, visit, gid, exp);
  const body = [VERSION, "t", visit, device, parts.ufrag, parts.pwd, b64url(unhex(parts.fp)), parts.cands.join(";"),
    gid, String(exp), grant].join(SEP);
  return { code: `${body}${SEP}${await tag(grant, body)}`, grant };
}

/**
 * Read a display offer on the display; throws CodeError("not_a_display_code" | "expired" |
 * "bad_signature"). The display cannot check the grant itself (it has no link key): it trusts
 * the code its camera was pointed at, and the phone checks the answer.
 */
export async function decodeDisplayOffer(text, nowSeconds) {
  const fields = typeof text === "string" ? text.split(SEP) : [];
  if (fields.length !== 12 || fields[0] !== VERSION || fields[1] !== "t") throw new CodeError("not_a_display_code");
  const [, , visit, device, ufrag, pwd, fp, cands, gid, exp, grant, sig] = fields;
  if (!/^[0-9a-f]{32}$/.test(grant)) throw new CodeError("not_a_display_code");
  if (!(Number(exp) > nowSeconds)) throw new CodeError("expired");
  if ((await tag(grant, fields.slice(0, 11).join(SEP))) !== sig) throw new CodeError("bad_signature");
  return { visit, device, gid, exp: Number(exp), grant, parts: { ufrag, pwd, fp: hex(unb64url(fp)), cands: cands ? cands.split(";") : [] } };
}
