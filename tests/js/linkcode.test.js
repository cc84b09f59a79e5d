// Pairing codes (webapp/static/pwa/linkcode.js): a Chrome SDP cut down, signed, and rebuilt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compactSdp, decodeCode, encodeCode, expandSdp } from "../../webapp/static/pwa/linkcode.js";

const SDP = ["v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
  "a=extmap-allow-mixed", "a=msid-semantic: WMS", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
  "a=candidate:2629750281 1 udp 2113937151 117b2136-d241-4e0d-9743-7b356602d2b0.local 33672 typ host generation 0 network-cost 999",
  "a=candidate:872452562 1 udp 2113937151 192.0.2.2 54325 typ host generation 0 network-cost 999",
  "a=candidate:4284895282 1 udp 2113942271 fd00::2 42133 typ host generation 0 network-cost 999",
  "a=candidate:9 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0",
  "a=ice-ufrag:Wd3x", "a=ice-pwd:Yk0HcKMPHNb3dX0kYIt5Zq9L", "a=ice-options:trickle",
  "a=fingerprint:sha-256 0F:74:31:25:CB:A2:13:EC:28:6F:6D:2C:61:FF:5D:C2:BC:B9:DB:3D:98:14:8D:1A:BB:EA:33:0F:9A:F1:87:37",
  "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144", ""].join("\r\n");
const KEY = "ab".repeat(32);

test("the compact form keeps ufrag, pwd, fingerprint and UDP host candidates", () => {
  const parts = compactSdp(SDP);
  assert.equal(parts.ufrag, "Wd3x");
  assert.equal(parts.pwd, "Yk0HcKMPHNb3dX0kYIt5Zq9L");
  assert.equal(parts.fp.length, 64);
  assert.equal(parts.cands.length, 3);
  const rebuilt = expandSdp(parts, "offer");
  for (const line of ["a=ice-ufrag:Wd3x", "a=setup:actpass", "117b2136-d241-4e0d-9743-7b356602d2b0.local 33672 typ host",
    "fd00::2 42133 typ host", "a=fingerprint:sha-256 0F:74:31"]) assert.ok(rebuilt.includes(line), line);
  assert.deepEqual(compactSdp(rebuilt), parts);
  assert.ok(expandSdp(parts, "answer").includes("a=setup:active"));
});

test("a signed code is small, round-trips, and only fits its visit, key and offer", async () => {
  const parts = compactSdp(SDP);
  const offer = await encodeCode(KEY, { kind: "o", visit: "12", device: "dev-1", parts });
  assert.ok(offer.length < 260, `${offer.length} chars`);
  assert.deepEqual((await decodeCode(KEY, offer, "12")).parts, parts);
  await assert.rejects(decodeCode(KEY, offer, "13"), { code: "other_visit" });
  await assert.rejects(decodeCode("cd".repeat(32), offer, "12"), { code: "bad_signature" });
  await assert.rejects(decodeCode(KEY, offer.replace("Wd3x", "Wd3y"), "12"), { code: "bad_signature" });
  await assert.rejects(decodeCode(KEY, "JP1-abc", "12"), { code: "not_a_link_code" });
  const answer = await encodeCode(KEY, { kind: "a", visit: "12", device: "dev-2", parts }, offer);
  assert.equal((await decodeCode(KEY, answer, "12", offer)).device, "dev-2");
  const otherOffer = await encodeCode(KEY, { kind: "o", visit: "12", device: "dev-3", parts });
  await assert.rejects(decodeCode(KEY, answer, "12", otherOffer), { code: "bad_signature" });
});
