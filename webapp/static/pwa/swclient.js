// Registers the service worker (root scope) and shows "Versi baru tersedia" when a new version
// is installed and waiting; the officer decides when to reload (never in the middle of a scan).

import { t } from "./i18n.js";
import { storedLang, tellWorker } from "./lang.js";
import { h, mount } from "./ui.js";

export async function registerWorker(banner) {
  if (!("serviceWorker" in navigator)) return null;
  let reloading = false;
  // The device's language choice (lang.js) is told again to every worker that takes control, so
  // the worker's per-language pages follow it even if its own record was lost.
  const remind = () => tellWorker(storedLang()).catch(() => false);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only reload when the officer asked for the new version (first install also claims).
    if (reloading) location.reload();
    else remind();
  });
  const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
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
  // Look for a new version now and then, and whenever the signal comes back.
  const check = () => navigator.onLine && reg.update().catch(() => {});
  setInterval(check, 30 * 60 * 1000);
  window.addEventListener("online", check);
  return reg;
}
