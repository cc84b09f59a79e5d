// The display's side of a pairing with a team phone, offline (docs/phone-link.md, "The TV
// display"): its camera reads the phone's display code, it shows its answer code for the phone
// to scan, and the link opens. One element, kept across re-renders so the camera keeps running.

import { renderSVG } from "../vendor/uqr/index.js";
import { DisplayLink } from "./displaylink.js";
import { t } from "./i18n.js";
import { Scanner, beep } from "./scanner.js";
import { h, mount } from "./ui.js";

function qr(code) {
  // Our own code only (no user text): parsed as SVG, never as HTML.
  const svg = new DOMParser().parseFromString(renderSVG(code, { ecc: "L", border: 2 }), "image/svg+xml").documentElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("link_code_label"));
  return h("div", { class: "link-qr", "data-code": code }, document.importNode(svg, true));
}

/** The pairing panel: {el, link, code(text)}; `onChange` runs on every change of the link. */
export function pairPanel(onChange) {
  const link = new DisplayLink({ label: t("display_title") });
  link.addEventListener("change", onChange);
  const video = h("video", { muted: true, playsinline: true, "aria-label": t("camera") });
  const finder = h("div", { class: "viewfinder", hidden: true }, video, h("div", { class: "frame", "aria-hidden": "true" }));
  const show = h("div", { id: "display-answer" });
  const msg = h("div", { id: "display-msg" });
  let scanner = null;
  const stop = () => {
    if (scanner) scanner.stop();
    scanner = null;
    finder.hidden = true;
  };
  async function code(text) {
    try {
      const answer = await link.answer(text);
      beep("ok");
      stop();
      mount(msg);
      mount(show, h("p", { class: "link-say" }, t("display_show_answer")), qr(answer));
      return answer;
    } catch (e) {
      beep("error");
      mount(msg, h("p", { class: "card error", role: "alert" }, t(`linkerr_${e.code || "bad_signature"}`)));
      return null;
    }
  }
  async function start() {
    stop();
    mount(show);
    mount(msg);
    finder.hidden = false;
    scanner = new Scanner(video, code);
    try {
      await scanner.start();
    } catch (e) {
      mount(msg, h("p", { class: "card error" }, t("camera_error", { error: e && e.name ? e.name : String(e) })));
    }
  }
  const el = h("section", { class: "display-pair" },
    h("h2", {}, t("display_pair_title")), h("p", { class: "muted" }, t("display_pair_help")),
    h("button", { class: "primary", id: "display-scan", onclick: start }, t("display_pair_scan")),
    msg, finder, show);
  return { el, link, code, start, stop };
}
