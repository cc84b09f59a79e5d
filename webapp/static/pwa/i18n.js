// The PWA's words, Indonesian first (the default) and English, from the one gettext catalogue: the
// Indonesian text is words.js (the msgids), English is words-en.js (generated from the .po by `make i18n`).
// The language comes from the device's choice, else the server page's <html lang>.
// t("key", {n: 2}) fills {n}; a "key_one" variant (a gettext singular) is used for n = 1.
import { ID } from "./words.js";
import { EN } from "./words-en.js";

export const DICT = { id: ID, en: EN };
// The device's own choice (lang.js) first, else the language the shell page was rendered in.
const stored = (() => {
  try {
    return localStorage.getItem("jemput-lang");
  } catch {
    return null;
  }
})();
let lang = stored ? (stored === "en" ? "en" : "id")
  : typeof document !== "undefined" && document.documentElement.lang.startsWith("en") ? "en" : "id";

export const getLang = () => lang;
export function setLang(code) {
  lang = code === "en" ? "en" : "id";
}

/** Translate `key`, filling {name} placeholders; unknown keys come back as the key itself. */
export function t(key, params = {}) {
  const dict = DICT[lang];
  const one = params.n === 1 ? `${key}_one` : null;
  const text = (one && dict[one]) || dict[key] || ID[key] || key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined || params[name] === null ? m : String(params[name])));
}
