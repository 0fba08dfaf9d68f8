#!/usr/bin/env bash
# How long `npm start` takes to be ready (GET /readyz answers 200) on the embedded database:
# first on a new data folder (PGlite creates the database), then N times on the same folder.
#   bash .ci/measure-start.sh [N=5]     (builds dist/ first when stale; the load average is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
port="${MEASURE_PORT:-3919}"
data_dir="$(mktemp -d)"
trap 'rm -rf "$data_dir"' EXIT
# Built the way npm start checks it: a plain `npm run build` that finds nothing to recompile (files
# touched by git, same content) leaves dist/.tsbuildinfo older than the sources, and the first timed
# start would then recompile.
npm start --silent -- build >/dev/null

start_once() {
  local started pid
  started=$(date +%s%N)
  env -u DATABASE_URL DATA_DIR="$data_dir/db" PORT="$port" LOG_LEVEL=warn setsid npm start >>"$data_dir/log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$data_dir/log" >&2; exit 1; }
    sleep 0.01
  done
  echo $((($(date +%s%N) - started) / 1000000))
  kill -TERM -- "-$pid"
  wait "$pid" 2>/dev/null || true
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, node $(node --version)"
echo "new data folder: $(start_once) ms"
times=()
for _ in $(seq 1 "$runs"); do times+=("$(start_once)"); done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "existing data folder, $runs runs (ms, sorted): $sorted"
