// Warms the page's compiled module (a worker made by web/boot.js, ended once it answers): the same
// WebAssembly.Module, posted here, gets its own instance through the module's own glue, and
// doorstep_warm() (wasm/js_warm.cpp) runs the phone's first SQLite work on an in-memory database.
// V8 compiles a wasm function at its first call and shares that code through the posted Module,
// so the page's first statements then find their functions compiled instead of compiling them on
// its main thread. Leaves out the page's data: no file, no storage, nothing sent back but a time.
'use strict';
onmessage = (e) => {
  const module = e.data.module;
  const t0 = performance.now();
  try {
    importScripts('doorstep.js');
    createDoorstep({
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(module, imports).then((instance) => done(instance, module),
          () => postMessage({ type: 'warm', ok: false }));
        return {};
      },
      print() {},
      printErr() {},
    }).then((mod) => {
      const rc = mod._doorstep_warm();
      postMessage({ type: 'warm', ok: rc === 0, ms: performance.now() - t0 });
    }, () => postMessage({ type: 'warm', ok: false }));
  } catch (err) {
    postMessage({ type: 'warm', ok: false });
  }
};
