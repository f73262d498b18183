// Durable storage on the phone (used by wasm/js_storage.cpp). Two layers:
// 1. the outbox: every recorded mutation is written to IndexedDB in its own transaction with
//    durability 'strict' before the app says "saved"; it is removed only after the server
//    acknowledged it AND a checkpoint holding it completed;
// 2. the SQLite file in IDBFS (/persist), checkpointed with FS.syncfs when idle or hidden.
// A Web Lock makes one tab the writer: two tabs writing one IDBFS file would lose rows.
'use strict';
(function () {
  let db = null;
  let syncing = false, syncAgain = false;
  let writer = false;
  let lastError = '';  // the name of the last failed outbox write's error (QuotaExceededError)

  function call(name, ...args) {
    if (window.Module && typeof Module[name] === 'function') Module[name](...args);
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open('doorstep-outbox', 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        d.createObjectStore('outbox', { keyPath: ['scope', 'seq'] });
        d.createObjectStore('meta');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function tx(stores, mode) {
    // 'strict': the browser flushes to disk before reporting complete (Chrome >= 121, Firefox and
    // Safari otherwise default to relaxed durability and may lose the last writes on power loss).
    return db.transaction(stores, mode, { durability: mode === 'readwrite' ? 'strict' : 'default' });
  }

  const api = {
    // Loads /persist from IndexedDB, opens the outbox, takes the writer lock; then calls
    // Module.doorstepStorageReady(ok, writer).
    // (C++ has mounted IDBFS at /persist already: IDBFS is only in scope inside the module.)
    start() {
      const FS = Module.FS;
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
      // Storage is loaded only once this tab holds the lock: a second tab first says "open in
      // another tab", waits for the lock, and takes over (loads what the first tab left) when the
      // first one closes.
      const load = () => Promise.all([
        new Promise((resolve) => FS.syncfs(true, (err) => resolve(!err))),
        db ? Promise.resolve(true) : openDb().then((d) => { db = d; return true; }, () => false),
      ]).then(([fsOk, dbOk]) => {
        writer = true;
        call('doorstepStorageReady', fsOk && dbOk, true);
      });
      if (!navigator.locks) { load(); return; }
      const held = () => new Promise(() => {});  // held for the life of the tab
      navigator.locks.request('doorstep-writer', { ifAvailable: true }, (l) => {
        if (l) { load(); return held(); }
        call('doorstepStorageReady', true, false);
        if (window.doorstepStats) window.doorstepStats.waiting_for_lock = 1;
        navigator.locks.request('doorstep-writer', () => {
          if (window.doorstepStats) window.doorstepStats.waiting_for_lock = 0;
          load();
          return held();
        });
        return undefined;
      });
    },
    // Writes one mutation; Module.doorstepOutboxSaved(scope, seq, ok) when durable.
    put(scope, seq, json) {
      try {
        const t = tx(['outbox'], 'readwrite');
        t.objectStore('outbox').put({ scope, seq, json });
        t.oncomplete = () => { call('doorstepOutboxSaved', scope, seq, true); window.dispatchEvent(new Event('doorstep-saved')); };
        let failed = false;
        t.onerror = t.onabort = () => {
          if (failed) return;  // an error is followed by its abort: one answer
          failed = true;
          lastError = (t.error && t.error.name) || 'AbortError';
          call('doorstepOutboxSaved', scope, seq, false);
        };
      } catch (e) {
        lastError = (e && e.name) || 'Error';
        call('doorstepOutboxSaved', scope, seq, false);
      }
    },
    // Everything still in the outbox for `scope`, in order; Module.doorstepOutboxListed(scope, jsonArrayText).
    list(scope) {
      const t = tx(['outbox'], 'readonly');
      const range = IDBKeyRange.bound([scope, 0], [scope, Number.MAX_SAFE_INTEGER]);
      const req = t.objectStore('outbox').getAll(range);
      req.onsuccess = () => call('doorstepOutboxListed', scope, '[' + req.result.map((r) => r.json).join(',') + ']');
      req.onerror = () => call('doorstepOutboxListed', scope, '');
    },
    removeThrough(scope, seq) {
      const t = tx(['outbox'], 'readwrite');
      t.objectStore('outbox').delete(IDBKeyRange.bound([scope, 0], [scope, seq]));
    },
    clearScope(scope) {
      const t = tx(['outbox'], 'readwrite');
      t.objectStore('outbox').delete(IDBKeyRange.bound([scope, 0], [scope, Number.MAX_SAFE_INTEGER]));
    },
    // Checkpoints /persist into IndexedDB; Module.doorstepCheckpointed(ok) after.
    checkpoint() {
      if (!writer) { call('doorstepCheckpointed', false); return; }
      if (syncing) { syncAgain = true; return; }
      syncing = true;
      Module.FS.syncfs(false, (err) => {
        syncing = false;
        call('doorstepCheckpointed', !err);
        if (syncAgain) { syncAgain = false; api.checkpoint(); }
      });
    },
    isWriter() { return writer; },
    lastError() { return lastError; },
  };
  window.DoorstepStorage = api;
})();
