#!/usr/bin/env bash
# A newcomer's first hour, as the README tells it: a fresh clone of this commit on a machine whose
# `node` is older than 22 (the machine's own Node 20 first on PATH), nothing installed by hand,
# and a Node 22 cache that starts empty. Runs the README's two commands, `npm start` (embedded
# database, whatever DATABASE_URL says; probed, then stopped) and `npm test` (on DATABASE_URL's
# server when it is set, as in CI; else on embedded databases), then `npm run demo`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
old_node="${NEWCOMER_NODE:-/usr/bin/node}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
mkdir -p "$work/bin"
ln -s "$old_node" "$work/bin/node"
export PATH="$work/bin:/usr/bin:/bin:$PATH"
export DIALER_SYNC_NODE_DIR="$work/node22-cache"
cd "$work/clone"
echo "newcomer: node $(node --version) first on PATH, fresh clone at $(git log --oneline -1)"
SMOKE_PORT=3918 bash .ci/smoke-embedded.sh
npm test
npm run demo
echo "newcomer: npm start, npm test and npm run demo are green with Node $("$old_node" --version) first on PATH"
