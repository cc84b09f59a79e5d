// Registers the service worker (root scope) and shows "Versi baru tersedia" when a new version
// is installed and waiting; the officer decides when to reload (never in the middle of a scan).

import { t } from "./i18n.js";
import { storedLang, tellWorker } from "./lang.js";
import { h, mount } from "./ui.js";

const CHECKED_KEY = "jemput-update-checked"; // when this phone last asked for a new version

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.content : null;
}

/** The worker's URL carries its version: answered from the HTTP cache (a day) while it is current. */
export const workerUrl = (version) => `/sw.js?v=${encodeURIComponent(version)}`;
const OPTIONS = { scope: "/", updateViaCache: "all" };

function lastChecked() {
  try {
    return Number(localStorage.getItem(CHECKED_KEY)) || 0;
  } catch {
    return 0;
  }
}

function markChecked() {
  try {
    localStorage.setItem(CHECKED_KEY, String(Date.now()));
  } catch {
    // no storage: the timer still runs while the app is open
  }
}

/** Ask the worker to keep the QR decoder (zxing's .wasm, jsQR) for offline scans; true once kept.
 * Not pre-cached at install (a first load stays small): called when a visit is downloaded. */
export async function keepDecoder(timeoutMs = 60000) {
  if (!("serviceWorker" in navigator) || !(await navigator.serviceWorker.getRegistration("/"))) return false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    navigator.serviceWorker.ready.then((reg) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => {
        clearTimeout(timer);
        resolve(e.data === true);
      };
      reg.active.postMessage({ type: "KEEP_LATER" }, [channel.port2]);
    });
  });
}

export async function registerWorker(banner) {
  if (!("serviceWorker" in navigator)) return null;
  let reloading = false;
  // The device's language choice (lang.js) is told again to every worker that takes control, so
  // the worker's per-language pages follow it even if its own record was lost. Without a choice,
  // the language of this page (the server session's) becomes the device's: the worker caches
  // the shell pages per language only.
  const remind = () => tellWorker(storedLang() || document.documentElement.lang).catch(() => false);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only reload when the officer asked for the new version (first install also claims).
    if (reloading) location.reload();
    else remind();
  });
  // A registration that exists is left as it is: registering this page's URL again could put
  // this (older) version back over a newer one that waits. Nothing is asked of the server here.
  let reg = await navigator.serviceWorker.getRegistration("/");
  if (!reg) {
    reg = await navigator.serviceWorker.register(workerUrl(meta("shell-version")), OPTIONS);
    markChecked(); // the install was the check
  }
  navigator.serviceWorker.ready.then(remind);
  const offer = (worker) => {
    if (!banner || !worker) return;
    mount(banner,
      h("span", {}, t("update_available")),
      h("button", { class: "primary small", onclick: () => {
        reloading = true;
        worker.postMessage({ type: "SKIP_WAITING" });
      } }, t("update_reload")));
    banner.hidden = false;
  };
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener("updatefound", () => {
    const worker = reg.installing;
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  // Look for a new version in the background: every `update-every` seconds while the app is open
  // (the first one when that long has passed since the last, even across loads) and when the
  // signal comes back; never on the load itself, so a repeat load asks the server nothing.
  const check = async () => {
    markChecked();
    if (!navigator.onLine || reg.installing || reg.waiting) return; // one is on its way or offered
    try {
      const answer = await fetch("/sw.js", { method: "HEAD", cache: "no-store" });
      const latest = answer.ok ? answer.headers.get("X-Shell-Version") : null;
      const active = reg.active ? reg.active.scriptURL : "";
      if (latest && !active.endsWith(workerUrl(latest))) await navigator.serviceWorker.register(workerUrl(latest), OPTIONS);
    } catch {
      // no signal after all: the next tick tries again
    }
  };
  const every = (Number(meta("update-every")) || 1800) * 1000;
  setTimeout(() => {
    check();
    setInterval(check, every);
  }, Math.max(0, lastChecked() + every - Date.now()));
  window.addEventListener("online", check);
  return reg;
}
