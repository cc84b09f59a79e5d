// The queue display for a laptop or a TV: large ticket numbers, the last call per desk, the next
// tickets. Fed on the same device through BroadcastChannel (instantly) and from the server when
// online (a pull sync every few seconds). Shows ticket numbers only, never names.

import { getDevice, getMeta, loadVisit, onRemoteChange } from "./db.js";
import { t } from "./i18n.js";
import { deriveQueue, displayModel } from "./queue.js";
import { schoolOf } from "./student.js";
import { registerWorker } from "./swclient.js";
import { syncNow } from "./syncer.js";
import { spokenTicket } from "./tickets.js";
import { fmtTime, h, mount } from "./ui.js";

const root = document.getElementById("display");
const PULL_MS = 10000;
let vid = new URLSearchParams(location.search).get("visit");
let lastCalls = new Map();
let sound = false;
let audio = null;
let updatedAt = null;

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

async function render() {
  if (!vid) vid = await getMeta("current_visit");
  const device = await getDevice();
  const data = vid && device ? await loadVisit(vid) : null;
  if (!data) {
    mount(root, h("div", { class: "display-empty" }, h("h1", {}, t("display_title")),
      h("p", {}, t("display_setup")), h("a", { class: "button primary", href: "/app" }, t("open_app"))));
    return;
  }
  const stations = Number(data.roster.visit.stations) || 1;
  const model = displayModel(deriveQueue(data.events, data.folded, stations));
  const fresh = [];
  for (const d of model.desks) {
    if (d.call_id && lastCalls.size && lastCalls.get(d.station) !== d.call_id) fresh.push(d);
  }
  const first = lastCalls.size === 0;
  lastCalls = new Map(model.desks.map((d) => [d.station, d.call_id || (first ? "-" : null)]));
  mount(root,
    h("header", { class: "display-head" }, h("h1", {}, schoolOf(data.roster.visit)),
      h("span", {}, navigator.onLine ? t("online") : t("offline"), " · ", t("updated_at", { time: fmtTime(updatedAt || new Date().toISOString()) })),
      h("button", { class: "small", "aria-pressed": String(sound), onclick: () => {
        sound = !sound;
        chime();
        render();
      } }, sound ? t("sound_off") : t("sound_on"))),
    h("ul", { class: "display-desks", "aria-live": "polite" }, model.desks.map((d) => h("li", { class: fresh.includes(d) ? "desk-card flash" : "desk-card", "data-station": d.station },
      h("span", { class: "desk-label" }, t("desk_n", { n: d.station })),
      h("span", { class: "desk-ticket" }, d.ticket || "—")))),
    h("section", { class: "display-next" }, h("h2", {}, t("next_tickets", { n: model.waitingCount })),
      h("p", { class: "next-list" }, model.next.length ? model.next.join("   ") : t("queue_empty"))));
  for (const d of fresh) announce(d.ticket, d.station);
}

async function pull() {
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
