#!/usr/bin/env bash
# Installs whatever is missing for building, serving and testing Doorstep on Debian bookworm:
# Debian packages, pinned third-party sources (verified by sha256, cached outside the checkout) and
# npm packages from package-lock.json. Idempotent: a second run only checks stamps. Sourced by
# serve.sh and test.sh; sets DOORSTEP_CACHE and DOORSTEP_DEPS for the build.
set -euo pipefail

DOORSTEP_CACHE=${DOORSTEP_CACHE:-$HOME/.cache/doorstep}
DOORSTEP_DEPS=$DOORSTEP_CACHE/src
export DOORSTEP_CACHE DOORSTEP_DEPS
export CCACHE_DIR=${CCACHE_DIR:-$DOORSTEP_CACHE/ccache}
# Paths relative to the checkout, so a fresh clone elsewhere (CI) still hits the compiler cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
# Debian's emscripten finds acorn and friends only here (see docs/toolchain notes).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# --- Debian packages ---------------------------------------------------------------------------
APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config xz-utils ca-certificates curl openssl
  emscripten nodejs npm
  doctest-dev libcpp-httplib-dev libssl-dev libsodium-dev libboost1.74-dev
  clang libclang-rt-14-dev
  chromium
  fonts-dejavu-core fonts-wqy-microhei fonttools brotli
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # A machine may bring its own Node.js and npm (not Debian's): those count as installed.
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: these Debian packages are missing and this script can only install them as root with apt:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  else
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  echo "setup: Node.js 18 or newer is required (apt-get install nodejs gives 18 on bookworm)." >&2
  exit 1
fi

# --- Pinned third-party sources --------------------------------------------------------------
# Each entry: name, file, sha256. Downloads land in $DOORSTEP_CACHE/downloads and are reused.
IMGUI_ORIG=imgui_1.86+ds.orig.tar.xz
IMGUI_SHA=0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64
SQLITE_NPM=better-sqlite3-12.11.1.tgz   # carries the SQLite 3.53.2 amalgamation
SQLITE_SHA=ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835

dl=$DOORSTEP_CACHE/downloads
mkdir -p "$dl" "$DOORSTEP_DEPS" "$CCACHE_DIR"

verify() { # file sha
  echo "$2  $1" | sha256sum --check --status || { echo "setup: checksum mismatch for $1 (expected $2); delete it and retry" >&2; exit 1; }
}

fetch_imgui() {
  [ -f "$dl/$IMGUI_ORIG" ] && return 0
  echo "setup: fetching Dear ImGui 1.86 from Debian's source package"
  local apt=$DOORSTEP_CACHE/apt
  mkdir -p "$apt/lists/partial"
  # A private sources list that adds deb-src, so the machine's apt configuration stays untouched.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types:.*/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/debian.sources"
    local opt=(-o Dir::Etc::sourcelist="$apt/debian.sources")
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$apt/sources.list"
    local opt=(-o Dir::Etc::sourcelist="$apt/sources.list")
  fi
  opt+=(-o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists="$apt/lists" -o APT::Sandbox::User=root)
  apt-get "${opt[@]}" update -qq
  (cd "$dl" && apt-get "${opt[@]}" source --download-only imgui=1.86+ds-1 >/dev/null)
}

fetch_sqlite() {
  [ -f "$dl/$SQLITE_NPM" ] && return 0
  echo "setup: fetching the SQLite amalgamation (npm better-sqlite3@12.11.1)"
  (cd "$dl" && npm pack better-sqlite3@12.11.1 --silent >/dev/null)
}

if [ ! -f "$DOORSTEP_DEPS/imgui-1.86/.ok" ]; then
  fetch_imgui; verify "$dl/$IMGUI_ORIG" "$IMGUI_SHA"
  rm -rf "$DOORSTEP_DEPS/imgui-1.86"
  tar -xJf "$dl/$IMGUI_ORIG" -C "$DOORSTEP_DEPS"
  touch "$DOORSTEP_DEPS/imgui-1.86/.ok"
fi
if [ ! -f "$DOORSTEP_DEPS/sqlite/.ok" ]; then
  fetch_sqlite; verify "$dl/$SQLITE_NPM" "$SQLITE_SHA"
  rm -rf "$DOORSTEP_DEPS/sqlite" && mkdir -p "$DOORSTEP_DEPS/sqlite"
  tar -xzf "$dl/$SQLITE_NPM" -C "$DOORSTEP_DEPS/sqlite" --strip-components=3 package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  touch "$DOORSTEP_DEPS/sqlite/.ok"
fi

# --- npm packages (Leaflet and protomaps-leaflet for the page; playwright-core, papaparse, csv-spectrum for tests)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stamp=$root/node_modules/.doorstep-lock
if [ ! -f "$stamp" ] || ! cmp -s "$root/package-lock.json" "$stamp"; then
  echo "setup: installing npm packages from package-lock.json"
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --cache "$DOORSTEP_CACHE/npm" >/dev/null)
  cp "$root/package-lock.json" "$stamp"
fi
