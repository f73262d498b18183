#!/usr/bin/env bash
# Builds everything ./serve.sh and ./test.sh need: the native server, CLI and tests (build/native)
# and the browser module with its dist/ folder (build/wasm). Incremental; ccache keeps cold builds
# of SQLite cheap across clean clones (cache in $DOORSTEP_CACHE, outside the checkout).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh
jobs=${DOORSTEP_JOBS:-$(nproc)}

if [ ! -f build/native/build.ninja ]; then
  cmake --preset native >/dev/null
fi
cmake --build build/native -j "$jobs"

if [ ! -f build/wasm/build.ninja ]; then
  emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
fi
cmake --build build/wasm -j "$jobs"
