#!/usr/bin/env bash
# Builds the UI, then the whole workspace once in the debug profile (the UI is embedded in the
# app binary, so `target/debug/warranty-desk` is the real app the E2E tests drive).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> npm run build (ui)"
(cd ui && npm run build --silent)
echo "==> cargo build"
cargo build --workspace --all-targets
