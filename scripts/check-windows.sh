#!/usr/bin/env bash
# The users run Windows: builds the app and the CLI for x86_64-pc-windows-gnu with Debian's
# mingw-w64, so every change keeps linking a Windows .exe (the NSIS installer itself is made on
# a Windows machine: see README "Building for Windows").
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  echo "==> apt-get install mingw-w64"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 >/dev/null
fi
rustup target list --installed | grep -q x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
echo "==> cargo build --target x86_64-pc-windows-gnu (warranty-desk.exe, wdesk.exe)"
cargo build --target x86_64-pc-windows-gnu -p warranty-desk -p desk-service --bins
ls -l target/x86_64-pc-windows-gnu/debug/warranty-desk.exe target/x86_64-pc-windows-gnu/debug/wdesk.exe
