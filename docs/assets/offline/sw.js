/* The notes offline: a hand-written service worker.

   hooks/offline.py fills in the three constants below at every build:
   VERSION (a hash of everything precached), PRECACHE (the pages and every
   file they load, relative to this script) and EXTRAS (files fetched in
   the background once the precache is complete, for files that would
   take the precache past its 5 MB budget; none today).

   - install: fetch every PRECACHE file into a cache named after VERSION.
     One failure (network, a full quota) fails the install: the old
     version, or none, stays in charge and the site works online as ever.
   - activate: drop other versions' caches, take the open pages, then
     fetch EXTRAS into their own cache, best effort.
   - fetch: precached files from the cache; anything else (the PDF, the
     notebook, the print page) from the network, keeping a copy for when
     the network is gone.
   - update: a new version installs beside the old one and waits. When the
     reader next opens a page and this tab is the only one, the old worker
     hands over (skipWaiting) and answers that navigation with a refresh,
     which the new version serves: a page is never a mix of versions. */
"use strict";

const VERSION = "dev";
const PRECACHE = [];
const EXTRAS = [];

const PREFIX = "gpt-notes-";
const CACHE = PREFIX + "precache-" + VERSION;
const RUNTIME = PREFIX + "runtime";
const SCOPE = new URL("./", self.location).href;

function saveData() {
  const c = self.navigator && self.navigator.connection;
  return Boolean(c && c.saveData);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (saveData()) throw new Error("Save-Data: not precaching");
      const cache = await caches.open(CACHE);
      try {
        await Promise.all(
          PRECACHE.map(async (path) => {
            const url = new URL(path, SCOPE).href;
            const res = await fetch(new Request(url, { cache: "reload" }));
            if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
            await cache.put(url, res);
          })
        );
      } catch (err) {
        // Half a precache is no use: drop it, fail the install.
        await caches.delete(CACHE);
        throw err;
      }
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX + "precache-") && name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
      // Best effort: a full quota or a dropped network leaves them out.
      const runtime = await caches.open(RUNTIME);
      for (const path of EXTRAS) {
        try {
          const url = new URL(path, SCOPE).href;
          const res = await fetch(new Request(url, { cache: "reload" }));
          if (res.ok) await runtime.put(url, res);
        } catch (err) {
          break;
        }
      }
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

function cacheKey(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.href.endsWith("/")) u.href += "index.html";
  return u.href;
}

async function handOver(request) {
  // A new version waits and this is the only tab: let it take over, and
  // have the browser ask again for this page, which it will then serve.
  const waiting = self.registration.waiting;
  if (!waiting || request.mode !== "navigate") return null;
  const tabs = await self.clients.matchAll({ type: "window" });
  if (tabs.length > 1) return null;
  waiting.postMessage("skip-waiting");
  return new Response("", {
    headers: { Refresh: "0", "Content-Type": "text/html" },
  });
}

async function respond(event) {
  const request = event.request;
  const handed = await handOver(request);
  if (handed) return handed;
  const key = cacheKey(request.url);
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  try {
    const res = await fetch(request);
    if (res.ok && res.type === "basic") {
      const copy = res.clone();
      event.waitUntil(
        caches
          .open(RUNTIME)
          .then((c) => c.put(key, copy))
          .catch(() => {}) // a full quota: serve it, keep no copy
      );
    }
    return res;
  } catch (err) {
    const kept = await caches.match(key, { cacheName: RUNTIME });
    if (kept) return kept;
    if (request.mode === "navigate") {
      const missing = await cache.match(new URL("404.html", SCOPE).href);
      if (missing) return missing;
    }
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (!request.url.startsWith(SCOPE)) return;
  event.respondWith(respond(event));
});
