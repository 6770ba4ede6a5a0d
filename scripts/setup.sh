#!/usr/bin/env bash
# Installs what building and testing the desk needs on a fresh Debian/Ubuntu machine:
# system libraries (WebKitGTK for Tauri, Xvfb and WebKitWebDriver for end-to-end tests,
# CJK fonts, poppler and LibreOffice for checking documents), the UI's npm packages, and
# tauri-driver. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev libayatana-appindicator3-dev
      librsvg2-dev xvfb xauth webkit2gtk-driver fonts-noto-cjk poppler-utils pkg-config curl
      libreoffice-calc-nogui)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust (cargo) is required: https://rustup.rs" >&2
  exit 1
fi

# The test command checks formatting and lints: both tools come with rustup's default profile;
# a minimal profile lacks them.
if command -v rustup >/dev/null 2>&1; then
  for c in clippy rustfmt; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      echo "==> rustup component add $c"
      rustup component add "$c"
    fi
  done
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
