/*
 * The answer queue of the visitor's survey page: answer sets are stored in IndexedDB FIRST
 * (an in-memory fallback when storage is refused), then sent oldest first with retries and
 * exponential backoff. The server stores each id once, so a retry after a lost reply is
 * harmless. Exposes window.QualimetreQueue = { Queue, uuid, createSender }.
 * IndexedDB survives reloads and service-worker updates: a new page sends what an older one
 * queued (entries are namespaced by `scope`: the kiosk id, or the public link).
 */
(function () {
  'use strict';

  var Queue = (function () {
    var DB_NAME = 'qualimetre-answers';
    var dbPromise = null;
    var memory = { queue: new Map(), rejected: new Map() };

    function open() {
      if (!dbPromise) {
        dbPromise = new Promise(function (resolve) {
          if (!('indexedDB' in window)) return resolve(null);
          var req;
          try { req = indexedDB.open(DB_NAME, 1); } catch (e) { return resolve(null); }
          req.onupgradeneeded = function () {
            var db = req.result;
            if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'id' });
            if (!db.objectStoreNames.contains('rejected')) db.createObjectStore('rejected', { keyPath: 'id' });
          };
          req.onsuccess = function () { resolve(req.result); };
          req.onerror = function () { resolve(null); };
        });
      }
      return dbPromise;
    }

    /** Runs fn(store) in a transaction; resolves when the transaction is durable. */
    function run(storeName, mode, fn) {
      return open().then(function (db) {
        if (!db) return fn(null, memory[storeName]);
        return new Promise(function (resolve, reject) {
          var tx = db.transaction(storeName, mode);
          var result;
          var req = fn(tx.objectStore(storeName), null);
          if (req) req.onsuccess = function () { result = req.result; };
          tx.oncomplete = function () { resolve(result); };
          tx.onerror = function () { reject(tx.error); };
          tx.onabort = function () { reject(tx.error); };
        });
      });
    }

    return {
      put: function (entry) {
        return run('queue', 'readwrite', function (s, mem) { if (mem) { mem.set(entry.id, entry); return null; } return s.put(entry); });
      },
      remove: function (id) {
        return run('queue', 'readwrite', function (s, mem) { if (mem) { mem.delete(id); return null; } return s.delete(id); });
      },
      all: function (scope) {
        return run('queue', 'readonly', function (s, mem) {
          if (mem) return null;
          return s.getAll();
        }).then(function (rows) {
          var list = rows || Array.from(memory.queue.values());
          return list.filter(function (e) { return e.scope === scope; }).sort(function (a, b) { return a.createdAt - b.createdAt; });
        });
      },
      /** Refused for good (invalid, conflict): kept on the device for diagnosis, not retried. */
      reject: function (entry, status) {
        entry.rejectedStatus = status;
        return run('rejected', 'readwrite', function (s, mem) { if (mem) { mem.set(entry.id, entry); return null; } return s.put(entry); })
          .then(function () { return Queue.remove(entry.id); });
      },
    };
  })();

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // --- Sending, with retry and exponential backoff ----------------------------------------

  /**
   * Sends the queue of `opts.scope` to `opts.url`, oldest first. `opts.reportQueued` adds the
   * number still waiting to each body (kiosks); `opts.onLength(n)` hears the queue length.
   */
  function createSender(opts) {
    var draining = false;
    var again = false;
    var failures = 0;
    var timer = null;

    function post(url, body) {
      var ctrl = new AbortController();
      var t = setTimeout(function () { ctrl.abort(); }, 15000);
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: ctrl.signal,
      }).then(function (res) {
        return { status: res.status, retryAfter: Number(res.headers.get('Retry-After')) || 0, res: res };
      }, function () {
        return { status: 0, retryAfter: 0 };
      }).finally(function () { clearTimeout(t); });
    }

    function delayFor(r) {
      if (r.status === 429 && r.retryAfter) return r.retryAfter * 1000;
      // Unknown or revoked link: keep the answers, ask again rarely.
      if (r.status === 404 || r.status === 401) return 10 * 60 * 1000;
      var base = Math.min(5 * 60 * 1000, 1000 * Math.pow(2, Math.min(failures, 12)));
      return base / 2 + Math.random() * base / 2;
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(drain, ms);
    }

    function drain() {
      if (draining) { again = true; return Promise.resolve(); }
      draining = true;
      clearTimeout(timer);
      timer = null;
      return Queue.all(opts.scope).then(function (entries) {
        var i = 0;
        function next() {
          opts.onLength(entries.length - i);
          if (i >= entries.length) { failures = 0; return null; }
          var entry = entries[i];
          var body = Object.assign({}, entry.body);
          if (opts.reportQueued) body.queued = entries.length - i - 1;
          return post(opts.url, body).then(function (r) {
            if (r.status === 201 || r.status === 200) {
              i++;
              return Queue.remove(entry.id).then(next);
            }
            if (r.status === 400 || r.status === 409 || r.status === 413 || r.status === 415 || r.status === 422) {
              i++;
              return Queue.reject(entry, r.status).then(next);
            }
            // 423 paused, 429, 5xx, network down, 404: try again later.
            failures++;
            schedule(delayFor(r));
            return null;
          });
        }
        return next();
      }).catch(function () {
        failures++;
        schedule(delayFor({ status: 0 }));
      }).finally(function () {
        draining = false;
        if (again) { again = false; drain(); }
      });
    }

    window.addEventListener('online', function () { failures = 0; drain(); });
    return { drain: drain, post: post };
  }

  window.QualimetreQueue = { Queue: Queue, uuid: uuid, createSender: createSender };
})();
