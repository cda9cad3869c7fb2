// Majlis service worker: keeps the offline page and the stylesheet, serves the offline page when
// a navigation fails. Live data is never cached.
const CACHE = "majlis-shell-v1";
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const SHELL = [OFFLINE_URL, "{{ css_url|escapejs }}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});
