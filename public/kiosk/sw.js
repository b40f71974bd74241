/*
 * Service worker of one kiosk page. The server serves it at /kiosque/<link>/sw.js, prefixed
 * with QM_CACHE_PREFIX, QM_CACHE (prefix + page version), QM_PAGE (the page's path, also the
 * scope) and QM_PRECACHE (the page and everything it loads).
 *
 * - install: keep what the page has just loaded: versioned assets (/assets/<hash>/…, immutable)
 *   come out of the browser's HTTP cache without touching the network; the page is
 *   revalidated (a 304 when unchanged). Then take over;
 * - activate: delete this kiosk's caches of older versions;
 * - the page: network first (short timeout), the cached copy when the server is unreachable;
 * - assets: cache first.
 * The answer queue lives in IndexedDB, which this worker never touches: a new version of the
 * page or of this worker cannot drop queued answers. POST requests are never intercepted.
 */
/* global QM_CACHE_PREFIX, QM_CACHE, QM_PAGE, QM_PRECACHE */
'use strict';

var PAGE_TIMEOUT_MS = 4000;

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(QM_CACHE)
      .then(function (cache) {
        // Same credentials mode as the page's own loads: Chromium keys its HTTP cache by it, and
        // a credential-less request would miss what the page has just loaded and download it again.
        return cache.addAll(QM_PRECACHE.map(function (url) {
          return new Request(url, { cache: url === QM_PAGE ? 'no-cache' : 'default', credentials: 'same-origin' });
        }));
      })
      .then(function () { return self.skipWaiting(); }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf(QM_CACHE_PREFIX) === 0 && k !== QM_CACHE; }).map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); }),
  );
});

function pageFromNetwork(request) {
  return fetch(request, { cache: 'no-cache', credentials: 'omit' }).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(QM_CACHE).then(function (cache) { return cache.put(QM_PAGE, copy); });
    }
    return res;
  });
}

function cachedPage() {
  return caches.open(QM_CACHE).then(function (cache) { return cache.match(QM_PAGE); });
}

function page(request) {
  var network = pageFromNetwork(request);
  var timeout = new Promise(function (resolve) { setTimeout(resolve, PAGE_TIMEOUT_MS, null); });
  return Promise.race([network.catch(function () { return null; }), timeout]).then(function (res) {
    // A server error or no answer: the cached page keeps the kiosk working.
    if (res && res.status < 500) return res;
    return cachedPage().then(function (cached) {
      if (cached) return cached;
      return res || network;
    });
  });
}

function asset(request) {
  return caches.open(QM_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (res) {
        if (res.ok && res.type === 'basic') cache.put(request, res.clone());
        return res;
      });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === QM_PAGE) {
    event.respondWith(page(request));
    return;
  }
  if (/^\/(assets|static|vendor|dsfr)\//.test(url.pathname)) event.respondWith(asset(request));
});
