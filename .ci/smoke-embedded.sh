#!/usr/bin/env bash
# The README's run command: `npm start` with no configuration but a scratch DATA_DIR (the embedded
# database), in the current directory; checks that it becomes healthy and ready, then stops it
# (the whole process group: npm, the Node 22 launcher and the service) with SIGTERM.
set -euo pipefail
data_dir="$(mktemp -d)"
port="${SMOKE_PORT:-3917}"
log="$data_dir/service.log"
env -u DATABASE_URL DATA_DIR="$data_dir" PORT="$port" setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT
for _ in $(seq 1 "${SMOKE_WAIT_SECONDS:-180}"); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    curl -fsS "http://127.0.0.1:$port/healthz"; echo
    curl -fsS "http://127.0.0.1:$port/readyz"; echo
    echo "smoke: embedded database OK"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
echo "smoke: the service did not become ready; its log:" >&2
cat "$log" >&2
exit 1
