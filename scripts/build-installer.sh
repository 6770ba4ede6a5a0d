#!/usr/bin/env bash
# Builds the Windows programs (release profile "dist": optimised for size, stripped) for
# x86_64-pc-windows-gnu with Debian's mingw-w64, and the zh-CN installer
# target/installer/保修中心工作台-<version>-setup.exe with Debian's makensis from our own script
# (installer/windows/warranty-desk.nsi) — nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64)
command -v makensis >/dev/null 2>&1 || need+=(nsis)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
TARGET=x86_64-pc-windows-gnu
rustup target list --installed | grep -q "$TARGET" || rustup target add "$TARGET"

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
echo "==> cargo build --profile dist --target $TARGET (warranty-desk.exe, wdesk.exe $VERSION)"
# --no-default-features: without desk-service's `devtools` (demo, bench and stress generators);
# the installed wdesk.exe answers `demo`/`bench`/`stress` with a sentence instead.
cargo build --profile dist --target "$TARGET" -p warranty-desk -p desk-service --bins --no-default-features
BIN="target/$TARGET/dist"

STAGE=target/installer/stage
rm -rf "$STAGE"
mkdir -p "$STAGE/licenses" "$STAGE/fonts"
cp "$BIN/warranty-desk.exe" "$BIN/wdesk.exe" "$STAGE/"
# The GNU build of the WebView2 glue loads WebView2Loader.dll from beside the program.
cp "$BIN/WebView2Loader.dll" "$STAGE/"
cp icons/icon.ico "$STAGE/"
# The form font, read from fonts\ beside the programs when they print (pdf/font.rs).
cp assets/fonts/NotoSansSC-Regular.ttf "$STAGE/fonts/"
cp LICENSE "$STAGE/licenses/LICENSE.txt"
cp assets/fonts/OFL.txt "$STAGE/licenses/NotoSansSC-OFL.txt"
python3 scripts/third-party-licenses.py "$TARGET" > "$STAGE/licenses/THIRD-PARTY.txt"

OUT="target/installer/保修中心工作台-$VERSION-setup.exe"
echo "==> makensis → $OUT"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$PWD/$STAGE" -DOUTFILE="$PWD/$OUT" \
  installer/windows/warranty-desk.nsi
ls -l "$STAGE"/*.exe "$STAGE"/*.dll "$OUT"
size=$(stat -c %s "$OUT")
echo "installer size: $size bytes ($(( size / 1024 / 1024 )) MB)"
