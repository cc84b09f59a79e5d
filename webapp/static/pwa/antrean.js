// The queue display for a laptop or a TV: large ticket numbers, the last call per desk, the next
// tickets. Shows ticket numbers only, never names. Two ways to be fed:
// - on an officer's device: its own IndexedDB, through BroadcastChannel (instantly), and a pull
//   sync every few seconds when online;
// - on a TV with no account: a short code from an officer's phone gives a read-only token, and the
//   TV polls the server's display feed each second (tvfeed.js; docs/phone-link.md, "The TV display");
// - on a TV with no account and no internet: its camera pairs it with a team phone, which sends
//   it the display cut of every event over the phone link (displaypair.js, displaylink.js).

import { reachable } from "./api.js";
import { getDevice, getMeta, loadVisit, onRemoteChange } from "./db.js";
import { pairPanel } from "./displaypair.js";
import { t } from "./i18n.js";
import { deriveQueue, displayModel } from "./queue.js";
import { schoolOf } from "./student.js";
import { keepDecoder, registerWorker } from "./swclient.js";
import { syncNow } from "./syncer.js";
import { spokenTicket } from "./tickets.js";
import { TvFeed } from "./tvfeed.js";
import { fmtTime, h, mount } from "./ui.js";

const root = document.getElementById("display");
const PULL_MS = 10000;
const TV_MS = 1000;
let tv = TvFeed.load();
let tvError = null;
let vid = new URLSearchParams(location.search).get("visit");
let lastCalls = new Map();
let sound = false;
let audio = null;
let updatedAt = null;
let linked = false; // showing what a paired phone sends
const pair = pairPanel(() => {
  linked = linked || pair.link.state === "open";
  render();
});
// As the phone's status bar: the network may be up while the server is not (a courtyard Wi-Fi
// without internet); the last request tells.
const online = () => navigator.onLine && reachable() !== false;
// A display pairs by its camera, offline too: keep the QR decoder (a LATER file of the shell).
const decoderKept = navigator.onLine ? keepDecoder() : Promise.resolve(false);
window.jemputDisplay = { link: () => pair.link, code: (text) => pair.code(text), decoderKept: () => decoderKept };

function chime() {
  if (!sound) return;
  const Ctx = window.AudioContext || window.webkitAudioContext;
  audio = audio || (Ctx ? new Ctx() : null);
  if (!audio) return;
  [784, 1046].forEach((f, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = f;
    gain.gain.value = 0.1;
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + i * 0.25);
    osc.stop(audio.currentTime + i * 0.25 + 0.22);
  });
}

function announce(ticket, station) {
  chime();
  if (!sound || !window.speechSynthesis) return;
  const u = new SpeechSynthesisUtterance(t("announce", { ticket: spokenTicket(ticket), station }));
  u.lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  window.speechSynthesis.speak(u);
}

/** The TV's form: the code an officer's phone shows (Antrean > Kode layar TV). */
function codeForm() {
  const input = h("input", { id: "tv-code", name: "code", autocomplete: "off", autocapitalize: "characters",
    spellcheck: "false", inputmode: "text", maxlength: "12", "aria-describedby": "tv-code-help" });
  const form = h("form", { class: "tv-code" },
    h("label", { for: "tv-code" }, t("tv_code_label")), input,
    h("p", { id: "tv-code-help", class: "muted" }, t("tv_code_help")),
    tvError ? h("p", { class: "error", role: "alert" }, tvError) : null,
    h("button", { type: "submit", class: "primary" }, t("tv_connect")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await TvFeed.claim(input.value);
    tvError = res.error;
    if (res.feed) {
      tv = res.feed;
      await tv.poll();
    }
    render();
  });
  return form;
}

/** What the screen shows: {visit, events, folded} from this device or from the TV feed. */
async function source() {
  if (linked) return pair.link.data();
  if (tv) return tv.data();
  if (!vid) vid = await getMeta("current_visit");
  const device = await getDevice();
  const data = vid && device ? await loadVisit(vid) : null;
  return data ? { visit: data.roster.visit, events: data.events, folded: data.folded } : null;
}

async function render() {
  const data = await source();
  if (!data) {
    mount(root, h("div", { class: "display-empty" }, h("h1", {}, t("display_title")),
      pair.el, codeForm(), h("p", {}, t("display_setup")), h("a", { class: "button", href: "/app" }, t("open_app"))));
    return;
  }
  const stations = Number(data.visit.stations) || 1;
  const model = displayModel(deriveQueue(data.events, data.folded, stations));
  const fresh = [];
  for (const d of model.desks) {
    if (d.call_id && lastCalls.size && lastCalls.get(d.station) !== d.call_id) fresh.push(d);
  }
  const first = lastCalls.size === 0;
  lastCalls = new Map(model.desks.map((d) => [d.station, d.call_id || (first ? "-" : null)]));
  mount(root,
    h("header", { class: "display-head" }, h("h1", {}, schoolOf(data.visit)),
      linked ? h("span", { class: `link-${pair.link.state}`, "data-state": pair.link.state }, t("display_via_phone"), " · ",
        t(`link_${pair.link.state}`)) : h("span", {}, online() ? t("online") : t("offline"), " · ",
        t("updated_at", { time: fmtTime(updatedAt || new Date().toISOString()) })),
      h("button", { class: "small", "aria-pressed": String(sound), onclick: () => {
        sound = !sound;
        chime();
        render();
      } }, sound ? t("sound_off") : t("sound_on"))),
    h("ul", { class: "display-desks", "aria-live": "polite" }, model.desks.map((d) => h("li", { class: fresh.includes(d) ? "desk-card flash" : "desk-card", "data-station": d.station },
      h("span", { class: "desk-label" }, t("desk_n", { n: d.station })),
      h("span", { class: "desk-ticket" }, d.ticket || "—")))),
    h("section", { class: "display-next" }, h("h2", {}, t("next_tickets", { n: model.waitingCount })),
      h("p", { class: "next-list" }, model.next.length ? model.next.join("   ") : t("queue_empty"))),
    linked && pair.link.state !== "open" ? h("section", { class: "display-repair" }, pair.el) : null);
  for (const d of fresh) announce(d.ticket, d.station);
}

async function pull() {
  if (tv || linked) return;
  if (navigator.onLine && vid && (await getDevice())) {
    const res = await syncNow([vid], { quiet: true });
    if (!res.error) updatedAt = new Date().toISOString();
  }
  render();
}

onRemoteChange((msg) => {
  if (!vid || msg.visit_id === String(vid)) render();
});
window.addEventListener("jemput:data", () => render());
window.addEventListener("online", pull);
window.addEventListener("offline", render);
registerWorker(document.getElementById("update"));
render().then(pull);
setInterval(pull, PULL_MS);
setInterval(async () => {
  if (!tv) return;
  const res = await tv.poll();
  if (res.expired) {
    tv = null;
    tvError = t("tv_expired");
  }
  if (res.changed || res.expired) render();
  else if (res.ok) updatedAt = new Date().toISOString();
}, TV_MS);
