// Jemput service worker, served at /sw.js (root scope) by webapp/field/views.py, which injects
// the shell version (a hash of the shell files computed at app start) and the shell URL list.
// App shell: cache-first from a versioned cache; API: network only (data lives in IndexedDB).

const VERSION = "__SHELL_VERSION__";
const SHELL = ["__SHELL_URLS__"];
const PREFIX = "jemput-shell-";
const CACHE = PREFIX + VERSION;
const PAGES = new Set(["/app", "/app/antrean", "/app/offline"]);
const OFFLINE = "/app/offline";
// The phone's language choice (lang.js) lives in its own cache, kept across releases: shell pages
// are then cached and fetched per language ("/app?lang=en"), so a switch shows at once, offline too.
const PREFS = "jemput-prefs";
const LANG_URL = "/__jemput/lang";

async function chosenLang() {
  // caches.match with a cacheName never creates the cache (caches.open would, on every page).
  const stored = await caches.match(LANG_URL, { cacheName: PREFS });
  const lang = stored ? await stored.text() : null;
  return lang === "id" || lang === "en" ? lang : null;
}

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache so a new version never stores stale files.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: "reload" })))));
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
  if (event.data && event.data.type === "LANG") {
    event.waitUntil((async () => {
      const lang = event.data.lang === "en" ? "en" : "id";
      await (await caches.open(PREFS)).put(LANG_URL, new Response(lang));
      if (event.ports[0]) event.ports[0].postMessage(lang);
    })());
  }
});

async function page(event, url) {
  const lang = await chosenLang();
  // Without a choice on the device the page follows the server session, as before.
  const key = lang ? `${url.pathname}?lang=${lang}` : url.pathname;
  const request = lang ? new Request(key, { credentials: "same-origin" }) : event.request;
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  const fresh = fetch(request).then(async (response) => {
    // Keep a fresher copy (e.g. another language) only if it belongs to this version.
    if (response.ok && response.headers.get("X-Shell-Version") === VERSION) await cache.put(key, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => null));
    return cached;
  }
  try {
    return await fresh;
  } catch {
    return (await cache.match(OFFLINE)) || Response.error();
  }
}

async function navigate(request) {
  try {
    return await fetch(request);
  } catch {
    const cache = await caches.open(CACHE);
    return (await cache.match(OFFLINE)) || Response.error();
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (PAGES.has(url.pathname)) event.respondWith(page(event, url));
  else if (request.mode === "navigate") event.respondWith(navigate(request));
  else if (SHELL.includes(url.pathname)) event.respondWith(asset(request));
});
