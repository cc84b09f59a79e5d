// The phone's own language switch: the choice is kept on the device (localStorage) and told to the
// service worker, which keys its cached shell pages by language, so the page after the switch
// (and every later one, offline or after a browser restart) comes in the chosen language.

import { getLang, t } from "./i18n.js";
import { h } from "./ui.js";

export const LANG_KEY = "jemput-lang";
export const LANGS = [["id", "Bahasa Indonesia"], ["en", "English"]];

export function storedLang() {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

/** Tell the active service worker the language (it answers once stored); false without one. */
export async function tellWorker(code, timeoutMs = 3000) {
  const sw = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!sw || !code) return false;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), timeoutMs);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve(true);
    };
    sw.postMessage({ type: "LANG", lang: code }, [channel.port2]);
  });
}

export async function switchLang(code) {
  localStorage.setItem(LANG_KEY, code);
  await tellWorker(code);
  location.reload();
}

/** The switch: one button a language, the current one pressed. */
export function languageSwitch(extraClass = "") {
  const current = getLang();
  return h("section", { class: `card ${extraClass}`.trim(), "aria-labelledby": "set-lang" },
    h("h2", { id: "set-lang" }, t("language_title")),
    h("div", { class: "actions lang-switch" }, ...LANGS.map(([code, name]) => h("button", {
      lang: code, "aria-pressed": String(code === current), class: code === current ? "primary" : "",
      "data-lang": code, onclick: () => (code === current ? null : switchLang(code)),
    }, name))));
}
