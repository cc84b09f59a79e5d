// The phone link of the visit on screen (docs/phone-link.md): one GossipNode fed with every
// event this phone knows, one LinkManager for its WebRTC links. Events heard from a linked
// phone are stored at once and the screens refresh.

import { addPeerEvents, getRoster } from "./db.js";
import { displayVisit } from "./displayfeed.js";
import { GossipNode } from "./gossip.js";
import { LinkManager } from "./link.js";
import { forPeers } from "./niktag.js";
import { schoolOf } from "./student.js";

let session = null;

/** The link session of a visit (created on first use; another visit's session is closed). */
export function linkSession(vid, { key, device, label }) {
  if (session && session.vid === String(vid)) return session;
  if (session) session.links.close();
  const node = new GossipNode({ visit: vid, onEvents: (evs) => addPeerEvents(vid, evs) });
  const links = new LinkManager({ visit: vid, key, device, label, node, displayInfo: () => displayInfo(vid) });
  session = { vid: String(vid), node, links };
  return session;
}

/** What a display needs besides the events: the school, the desks, the student ids (no names). */
async function displayInfo(vid) {
  const roster = await getRoster(vid);
  if (!roster) return { header: null, students: [] };
  return { header: displayVisit(roster.visit, schoolOf(roster.visit)), students: roster.students.map((s) => [s.id, s.nik_key || null]) };
}

export const currentSession = () => session;

/** Hand every known event of the visit to the gossip (new ones go out on every link). */
export function publish(vid, events) {
  // A walk-in leaves this phone without its NIK or KK (SECURITY.md).
  if (session && session.vid === String(vid)) session.node.addLocal(events.map(forPeers));
}
