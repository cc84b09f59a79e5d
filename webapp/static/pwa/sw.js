// Jemput service worker, served at /sw.js (root scope) by webapp/field/views.py, which injects
// the shell version (a hash of the shell files computed at app start), where the shell's static
// files live (/static/v/<version>/, a year's cache) and the shell URL list.
// App shell: cache-first from a versioned cache, no request on a repeat load; API: network only
// (data lives in IndexedDB). New versions are looked for by the page (swclient.js), on a timer.

const VERSION = "__SHELL_VERSION__";
const STATIC = "__STATIC_PREFIX__";
const SHELL = ["__SHELL_URLS__"];
// The QR decoder: part of the shell, kept only when the phone prepares for offline work (KEEP_LATER).
const LATER = ["__LATER_URLS__"];
const PREFIX = "jemput-shell-";
const CACHE = PREFIX + VERSION;
const PAGES = new Set(["/app", "/app/antrean", "/app/offline"]);
const OFFLINE = "/app/offline";
// The phone's language choice (lang.js) lives in its own cache, kept across releases: shell pages
// are then cached and fetched per language ("/app?lang=en"), so a switch shows at once, offline too.
const PREFS = "jemput-prefs";
const LANG_URL = "/__jemput/lang";
const DEFAULT_LANG = "id";

async function chosenLang() {
  // caches.match with a cacheName never creates the cache (caches.open would, on every page).
  const stored = await caches.match(LANG_URL, { cacheName: PREFS });
  const lang = stored ? await stored.text() : null;
  return lang === "id" || lang === "en" ? lang : null;
}

/** Copy the shell pages of `lang` to their plain URLs ("/app"): what the page routes answer. */
async function pinPages(cache, lang) {
  for (const path of PAGES) {
    const copy = await cache.match(`${path}?lang=${lang}`);
    if (!copy) continue;
    const headers = new Headers(copy.headers);
    headers.delete("Vary"); // one copy for every request: the language is the device's
    await cache.put(path, new Response(await copy.blob(), { status: copy.status, headers }));
  }
}

/** Keep the LATER files: `download` fetches what is missing, otherwise only what the HTTP cache holds. */
async function keepLater(cache, download) {
  const kept = await Promise.all(LATER.map(async (url) => {
    if (await cache.match(url)) return true;
    try {
      const response = await fetch(url, download ? {} : { cache: "only-if-cached", mode: "same-origin" });
      if (!response.ok) return false;
      await cache.put(url, response);
      return true;
    } catch {
      return false;
    }
  }));
  await pinPages(cache, (await chosenLang()) || DEFAULT_LANG);
  return kept.every(Boolean);
}

/** Did an older version's cache hold the decoder (the phone was prepared for offline work)? */
async function keptBefore() {
  for (const key of await caches.keys()) {
    if (!key.startsWith(PREFIX) || key === CACHE) continue;
    const cache = await caches.open(key);
    if ((await cache.keys()).some((req) => req.url.endsWith(".wasm"))) return true;
  }
  return false;
}

self.addEventListener("install", (event) => {
  // The default cache mode: static files come from the HTTP cache the page just filled (their
  // URLs carry the version and are immutable, so never stale); the pages and the manifest are
  // no-cache there, so revalidated. A first load downloads the shell once, not twice.
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.filter((url) => !LATER.includes(url)));
    await pinPages(cache, (await chosenLang()) || DEFAULT_LANG);
    // The static routing API (where the browser has it): the API never starts this worker, and the
    // shell pages come straight from this version's cache. Without the page routes Chrome's
    // ServiceWorkerAutoPreload sent every navigation after a browser restart to the server in
    // parallel with starting the worker (measured: a repeat load of /app reached the server).
    if (event.addRoutes) {
      const route = (pathname, source) => ({ condition: { urlPattern: new URLPattern({ pathname }) }, source });
      await event.addRoutes([route("/api/*", "network")]).catch(() => null);
      // Only pages held from the install on: a route that misses goes to the network, not to page().
      const held = [...PAGES].filter((path) => !LATER.includes(`${path}?lang=${DEFAULT_LANG}`));
      await event.addRoutes(held.map((path) => route(path, { cacheName: CACHE }))).catch(() => null);
    }
    await keepLater(cache, await keptBefore());
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data && event.data.type === "VERSION" && event.ports[0]) event.ports[0].postMessage(VERSION);
  if (event.data && event.data.type === "KEEP_LATER") {
    event.waitUntil((async () => {
      const kept = await keepLater(await caches.open(CACHE), true);
      if (event.ports[0]) event.ports[0].postMessage(kept);
    })());
  }
  if (event.data && event.data.type === "LANG") {
    event.waitUntil((async () => {
      const lang = event.data.lang === "en" ? "en" : "id";
      await (await caches.open(PREFS)).put(LANG_URL, new Response(lang));
      await pinPages(await caches.open(CACHE), lang);
      if (event.ports[0]) event.ports[0].postMessage(lang);
    })());
  }
});

/** The offline page in the device's language. */
async function offlinePage(cache) {
  return (await cache.match(`${OFFLINE}?lang=${(await chosenLang()) || DEFAULT_LANG}`)) || Response.error();
}

async function page(event, url) {
  // The device's language: chosen on the phone (lang.js) or, until then, the one of the page that
  // registered this worker (swclient.js tells it); pages are cached per language only.
  const lang = (await chosenLang()) || DEFAULT_LANG;
  const key = `${url.pathname}?lang=${lang}`;
  const request = new Request(key, { credentials: "same-origin" });
  const cache = await caches.open(CACHE);
  // The cached page is this version's own: nothing to ask the server (a new version comes with a
  // new worker and a new cache).
  const cached = await cache.match(key);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    // Keep it only if it belongs to this version.
    if (response.ok && response.headers.get("X-Shell-Version") === VERSION) await cache.put(key, response.clone());
    return response;
  } catch {
    return offlinePage(cache);
  }
}

async function navigate(request) {
  try {
    return await fetch(request);
  } catch {
    return offlinePage(await caches.open(CACHE));
  }
}

/** The cached copy of a shell file (a plain /static/F URL finds it too); one not yet kept is kept. */
async function asset(event, path) {
  const cached = await caches.match(path, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok && new URL(event.request.url).pathname === path) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(path, copy)));
  }
  return response;
}

/** The shell URL of a same-origin path, or null: /static/F and /static/v/<other>/F map to this version's. */
function shellPath(pathname) {
  if (SHELL.includes(pathname)) return pathname;
  const plain = pathname.replace(/^\/static\/v\/[^/]+\//, "/static/");
  if (!plain.startsWith("/static/")) return null;
  const versioned = STATIC + plain.slice("/static/".length);
  return SHELL.includes(versioned) ? versioned : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (PAGES.has(url.pathname)) event.respondWith(page(event, url));
  else if (request.mode === "navigate") event.respondWith(navigate(request));
  else {
    const path = shellPath(url.pathname);
    if (path) event.respondWith(asset(event, path));
  }
});
