#!/usr/bin/env bash
# One command to run Doorstep locally: installs what is missing (Debian packages, pinned sources,
# npm packages), builds, seeds a demo campaign on first start, and serves the app and the API.
#   PORT (8080), HOST (127.0.0.1) and DATA_DIR (./data) override the defaults.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
bash scripts/build.sh

PORT=${PORT:-8080}
HOST=${HOST:-127.0.0.1}
DATA_DIR=${DATA_DIR:-$root/data}
mkdir -p "$DATA_DIR"
if [ ! -f "$DATA_DIR/doorstep.db" ]; then
  echo "serve: seeding the demo campaign into $DATA_DIR"
  build/native/doorstep demo --data "$DATA_DIR" --base-url "http://$HOST:$PORT"
fi
echo "serve: open http://$HOST:$PORT/ (canvasser links: build/native/doorstep demo --data $DATA_DIR --links)"
exec build/native/doorstep serve --host "$HOST" --port "$PORT" --data "$DATA_DIR" --web build/wasm/dist
