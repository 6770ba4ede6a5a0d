#!/usr/bin/env bash
# Starts the desk with a demo database (in ./demo-data, created on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
data="${WDESK_DEMO_DIR:-$PWD/demo-data}"
if [ ! -f "$data/warranty-desk.sqlite" ]; then
  ./target/debug/wdesk --data "$data" demo
fi
exec ./target/debug/warranty-desk --data "$data"
