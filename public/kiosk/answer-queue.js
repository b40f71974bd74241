/*
 * The answer queue of the visitor's survey page: answer sets are stored in IndexedDB FIRST
 * (an in-memory fallback when storage is refused), then sent oldest first. One answer set
 * never blocks the others: a 4xx parks it (kept aside, reported, not retried), a server error
 * or no reply gives it its own exponential backoff behind the rest. The server stores each id once, so a retry after a lost reply is
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
      parkedCount: function (scope) {
        return run('rejected', 'readonly', function (s, mem) { return mem ? null : s.getAll(); }).then(function (rows) {
          var list = rows || Array.from(memory.rejected.values());
          return list.filter(function (e) { return e.scope === scope; }).length;
        });
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
      /**
       * Refused for good (a 4xx: invalid, conflict, too large): kept on the device for
       * diagnosis, not retried, counted in the heartbeat so the kiosk list shows it.
       * (The IndexedDB store keeps its first name, `rejected`, so parked sets of older pages stay.)
       */
      park: function (entry, status) {
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

  var SECOND = 1000;
  var MAX_BACKOFF = 5 * 60 * SECOND;

  /** Delay before the n-th retry (n ≥ 1): 1 s doubling, capped at 5 minutes, with jitter. */
  function backoff(n) {
    var base = Math.min(MAX_BACKOFF, SECOND * Math.pow(2, Math.min(n - 1, 12)));
    return base / 2 + Math.random() * base / 2;
  }

  /**
   * What to do with one answer set after the server's reply (status 0: no reply at all).
   * - `done`: stored, or already stored (a retry).
   * - `park`: refused for good (the answer set itself is at fault): kept aside, not retried.
   * - `later`: this answer set failed (server error, no reply): retried with its own backoff,
   *   behind the others, so one answer set can never block the rest.
   * - `wait`: the kiosk as a whole cannot send now (unknown or revoked link, paused, rate
   *   limited): stop this round, keep every answer set.
   */
  function outcome(status) {
    if (status === 200 || status === 201) return 'done';
    if (status === 401 || status === 404 || status === 423 || status === 429) return 'wait';
    if (status === 408) return 'later';
    if (status >= 400 && status < 500) return 'park';
    return 'later';
  }

  /**
   * Sends the queue of `opts.scope` to `opts.url`. Answer sets that are due go oldest first;
   * one that fails gets its own next attempt time (`nextAt`, kept in IndexedDB) and goes behind
   * the rest. `opts.reportQueued` adds the number still waiting to each body (kiosks);
   * `opts.onLength(n)` hears the queue length, `opts.onParked()` hears that one was parked.
   */
  function createSender(opts) {
    var draining = false;
    var again = false;
    var forceAgain = false;
    var kioskFailures = 0;
    var timer = null;
    var now = opts.now || function () { return Date.now(); };

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

    function kioskDelay(r) {
      if (r.status === 429 && r.retryAfter) return r.retryAfter * SECOND;
      // Unknown or revoked link: keep the answers, ask again rarely.
      if (r.status === 404 || r.status === 401) return 10 * 60 * SECOND;
      kioskFailures++;
      return backoff(kioskFailures);
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(drain, Math.max(0, ms));
    }

    /** Due first (oldest first), then those waiting for their retry time. */
    function order(entries, force) {
      var t = now();
      return entries.slice().sort(function (a, b) {
        var da = force || !a.nextAt || a.nextAt <= t ? 0 : 1;
        var db = force || !b.nextAt || b.nextAt <= t ? 0 : 1;
        if (da !== db) return da - db;
        if (da === 1 && a.nextAt !== b.nextAt) return a.nextAt - b.nextAt;
        return a.createdAt - b.createdAt;
      });
    }

    /**
     * One round over the queue. `force` (the browser is back online, or a test asks) tries
     * every answer set now, whatever its retry time.
     */
    function drain(force) {
      force = force === true;
      if (draining) { again = true; forceAgain = forceAgain || force; return Promise.resolve(); }
      draining = true;
      clearTimeout(timer);
      timer = null;
      return Queue.all(opts.scope).then(function (all) {
        var entries = order(all, force);
        var left = entries.length;
        var settled = {};
        var i = 0;
        /** The next round when the first answer set put off is due (or after `atLeast` ms). */
        function finishRound(atLeast) {
          opts.onLength(left);
          var next = null;
          for (var j = 0; j < entries.length; j++) {
            if (settled[entries[j].id]) continue;
            if (next === null || (entries[j].nextAt || 0) < next) next = entries[j].nextAt || 0;
          }
          if (next !== null) schedule(Math.max(next - now(), atLeast || 0));
          return null;
        }
        function step() {
          opts.onLength(left);
          if (i >= entries.length) return finishRound();
          var entry = entries[i];
          if (!force && entry.nextAt && entry.nextAt > now()) return finishRound();
          var body = Object.assign({}, entry.body);
          if (opts.reportQueued) body.queued = left - 1;
          return post(opts.url, body).then(function (r) {
            var what = outcome(r.status);
            if (what === 'wait') { schedule(kioskDelay(r)); return null; }
            i++;
            if (what === 'done') {
              kioskFailures = 0;
              settled[entry.id] = true;
              left--;
              return Queue.remove(entry.id).then(step);
            }
            if (what === 'park') {
              kioskFailures = 0;
              settled[entry.id] = true;
              left--;
              return Queue.park(entry, r.status).then(function () { if (opts.onParked) opts.onParked(); }).then(step);
            }
            // This answer set failed: its own backoff, then on with the others.
            entry.attempts = (entry.attempts || 0) + 1;
            entry.nextAt = now() + backoff(entry.attempts);
            return Queue.put(entry).then(function () {
              // No reply at all: the network is probably down for every answer set; wait.
              if (r.status === 0) return finishRound(kioskDelay(r));
              return step();
            });
          });
        }
        return step();
      }).catch(function () {
        kioskFailures++;
        schedule(backoff(kioskFailures));
      }).finally(function () {
        draining = false;
        if (again) { var f = forceAgain; again = false; forceAgain = false; drain(f); }
      });
    }

    window.addEventListener('online', function () { kioskFailures = 0; drain(true); });
    return { drain: drain, post: post };
  }

  window.QualimetreQueue = { Queue: Queue, uuid: uuid, createSender: createSender, outcome: outcome };
})();
