# Writes dist/build.json with a hash of the module, so the service worker's precache is versioned by
# what was actually built (a new build → a new cache; an old phone keeps its cache until it updates).
file(SHA256 ${DIST}/doorstep.wasm wasm_hash)
file(SHA256 ${DIST}/doorstep.js js_hash)
file(SHA256 ${DIST}/index.html html_hash)
string(SUBSTRING "${wasm_hash}${js_hash}" 0 16 short)
string(SUBSTRING "${html_hash}" 0 8 html_short)
file(WRITE ${DIST}/build.json "{\"version\":\"${short}${html_short}\"}\n")
