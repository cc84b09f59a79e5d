// Jemput service worker, served at /sw.js (root scope) by webapp/field/views.py, which injects
// the shell version (a hash of the shell files computed at app start) and the shell URL list.
// App shell: cache-first from a versioned cache; API: network only (data lives in IndexedDB).

const VERSION = "__SHELL_VERSION__";
const SHELL = ["__SHELL_URLS__"];
const PREFIX = "jemput-shell-";
const CACHE = PREFIX + VERSION;
const PAGES = new Set(["/app", "/app/antrean", "/app/offline"]);
const OFFLINE = "/app/offline";

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
});

async function page(event, url) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const cached = await cache.match(url.pathname);
  const fresh = fetch(request).then(async (response) => {
    // Keep a fresher copy (e.g. another language) only if it belongs to this version.
    if (response.ok && response.headers.get("X-Shell-Version") === VERSION) await cache.put(url.pathname, response.clone());
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
