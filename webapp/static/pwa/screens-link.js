// "Hubungkan HP": pair this phone with the team's other phones, no internet needed
// (docs/phone-link.md). A shows a code, B scans it and shows its answer, A scans that.

import { t } from "./i18n.js";
import { linkSession } from "./peers.js";
import { Scanner, beep, buzz, unlockAudio } from "./scanner.js";
import { fmtTime, h, mount } from "./ui.js";

let scanner = null;
let els = null;

async function qr(code) {
  // Loaded when first needed: the QR writer is kept with the scanner's decoder when a visit is
  // downloaded (webapp/field/shell.py LATER), not part of a first load.
  const { renderSVG } = await import("../vendor/uqr/index.js");
  // Our own code only (no user text): parsed as SVG, never as HTML.
  const svg = new DOMParser().parseFromString(renderSVG(code, { ecc: "L", border: 2 }), "image/svg+xml").documentElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("link_code_label"));
  return h("div", { class: "link-qr", "data-code": code }, document.importNode(svg, true));
}

export function sessionFor(ctx) {
  const key = ctx.data.roster.visit.link_key;
  if (!key || typeof RTCPeerConnection === "undefined") return null;
  const label = ctx.device.label || ctx.device.device_id.slice(0, 8);
  return linkSession(ctx.vid, { key, device: ctx.device.device_id, label });
}

function peerList(session) {
  const peers = session.links.list();
  return h("ul", { class: "list links", "aria-live": "polite" }, peers.length
    ? peers.map((p) => h("li", { class: `link-${p.state}`, "data-state": p.state },
      h("strong", {}, p.label), " ", h("span", {}, t(p.state === "connecting" ? "link_connecting_state" : `link_${p.state}`)), " ", h("small", { class: "muted" }, fmtTime(new Date(p.since).toISOString()))))
    : h("li", { class: "muted" }, t("link_none")));
}

function stopScan() {
  if (scanner) scanner.stop();
  scanner = null;
  if (els) els.finder.hidden = true;
}

/** A pairing code read by the camera (or handed in by a test): answer it or complete it. */
export async function onCode(session, text) {
  try {
    const answer = await session.links.scanned(text);
    beep("ok");
    buzz("ok");
    stopScan();
    if (els) mount(els.show, answer ? [h("p", { class: "link-say" }, t("link_show_answer")), await qr(answer)] : h("p", { class: "card ok" }, t("link_connecting")));
    if (els) els.show.scrollIntoView({ block: "start" });
    return answer;
  } catch (e) {
    beep("error");
    buzz("error");
    if (els) mount(els.msg, h("p", { class: "card error", role: "alert" }, t(`linkerr_${e.code || "bad_signature"}`)));
    return null;
  }
}

/** A code for a display with no account (a TV's or laptop's camera scans it), then its answer. */
async function showDisplayOffer(session) {
  mount(els.show, h("p", { class: "muted" }, t("link_preparing")));
  const code = await session.links.offerDisplay();
  mount(els.show, h("p", { class: "link-say" }, t("link_show_display")), await qr(code));
  els.show.scrollIntoView({ block: "start" });
  await startScan(session);
}

async function startScan(session) {
  unlockAudio();
  stopScan();
  els.finder.hidden = false;
  mount(els.msg);
  scanner = new Scanner(els.video, (text) => onCode(session, text));
  try {
    await scanner.start();
  } catch (e) {
    mount(els.msg, h("p", { class: "card error" }, t("camera_error", { error: e && e.name ? e.name : String(e) })));
  }
}

async function showOffer(session) {
  mount(els.show, h("p", { class: "muted" }, t("link_preparing")));
  const code = await session.links.offer();
  mount(els.show, h("p", { class: "link-say" }, t("link_show_offer")), await qr(code));
  els.show.scrollIntoView({ block: "start" });
  await startScan(session);
}

function render(ctx) {
  const session = sessionFor(ctx);
  if (!session) return h("p", { class: "card error" }, t("link_unavailable"));
  const video = h("video", { muted: true, playsinline: true, "aria-label": t("camera") });
  els = { video, finder: h("div", { class: "viewfinder", hidden: true }, video, h("div", { class: "frame", "aria-hidden": "true" })),
    show: h("div", { id: "link-show" }), msg: h("div", { id: "link-msg" }), list: peerList(session) };
  const openNow = () => new Set(session.links.list().filter((p) => p.state === "open").map((p) => p.id));
  let wasOpen = openNow();
  session.links.onchange = () => {
    if (!els) return;
    const fresh = peerList(session);
    els.list.replaceWith(fresh);
    els.list = fresh;
    // The code on screen is done once a link opens that was not open before (the pairing it was
    // shown for). Another link changing state (a restarted desk dropping) while the next phone
    // scans must not wipe it: that happened on a gate already linked to one desk.
    const now = openNow();
    if ([...now].some((id) => !wasOpen.has(id))) mount(els.show);
    wasOpen = now;
  };
  if (!session.uiBound) {
    session.uiBound = true;
    session.links.addEventListener("change", () => session.links.onchange && session.links.onchange());
  }
  return h("section", { class: "link-screen" },
    h("h1", {}, t("link_title")),
    els.msg, els.show, els.finder,
    els.list,
    h("div", { class: "actions" },
      h("button", { class: "primary", id: "link-offer", onclick: () => showOffer(session) }, t("link_offer")),
      h("button", { id: "link-scan", onclick: () => startScan(session) }, t("link_scan")),
      h("button", { id: "link-display", onclick: () => showDisplayOffer(session) }, t("link_display"))),
    h("p", { class: "muted" }, t("link_help")));
}

export const link = {
  render,
  // A peer's events refresh the app many times a second during a visit; re-rendering here would
  // wipe the code on screen while another phone is scanning it. The list updates itself (onchange).
  update() {},
  leave() {
    stopScan();
    els = null;
  },
};
