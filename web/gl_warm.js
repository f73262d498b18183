// Warms up the GPU process for the page (see boot.js): creating the first WebGL context in a page
// waits for a channel to the GPU process, a long synchronous task on a cheap phone. Done here, on
// a worker's thread, the page's own context is quick. Draws nothing; the page ends this worker.
'use strict';
let ok = false;
try {
  ok = !!new OffscreenCanvas(1, 1).getContext('webgl2');
} catch (e) { /* no WebGL 2 in workers: the page creates its context the slow way */ }
postMessage(ok);
