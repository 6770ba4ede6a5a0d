#!/usr/bin/env bash
# Runs every test: unit and integration tests of all crates, the CLI scenario tests, the
# importer corpus and hostile-file tests, the TypeScript bindings and command-client check, and the end-to-end
# tests of the real app in a real webview (WebKitGTK under Xvfb, through tauri-driver), and the
# Windows installer built with makensis, installed and run under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

echo "==> cargo fmt --check, clippy (warnings are errors; unwrap/expect denied outside tests)"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

echo "==> cargo test (unit, integration, CLI)"
cargo test

echo "==> TypeScript unit tests (vitest: formatting of times, money, lateness; money and quarters against the cases Rust answers)"
(cd ui && npm test --silent)

if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "==> generated TypeScript bindings and command client are current"
  # ui/src/generated/commands.ts is written by src-tauri's test from commands/schema.rs, and
  # labels.ts, rules.ts and cases.ts by src-tauri/src/ui_data.rs from the domain's labels and
  # rules: a command, label or rule changed in Rust without committing the result fails here.
  generated=(ui/src/bindings ui/src/generated)
  if ! git diff --exit-code --stat -- "${generated[@]}" || [ -n "$(git ls-files --others --exclude-standard "${generated[@]}")" ]; then
    echo "ui/src/bindings or ui/src/generated is stale: commit the files that 'cargo test' regenerated" >&2
    exit 1
  fi
fi

echo "==> Windows: installer (makensis) and the installed programs under Wine"
bash scripts/check-windows.sh

echo "==> end-to-end tests (real app, WebKitGTK, Xvfb)"
display=":$(( 90 + RANDOM % 9 ))"
Xvfb "$display" -screen 0 1366x850x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" cargo test -p desk-e2e -- --test-threads=1
