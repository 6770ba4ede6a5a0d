#!/usr/bin/env bash
# Runs the Windows build for real under Wine (Debian's wine64): installs the setup file
# silently (an older version first) into a fresh Wine prefix, drives the installed wdesk.exe through a front desk's day
# (over a demo database the debug build's wdesk writes: the installed one has no demo and says so)
# with the data in the default Windows data folder (%APPDATA%\WarrantyDesk\…), paths with
# Chinese characters and spaces included, starts warranty-desk.exe without WebView2 and
# expects its Chinese message instead of a crash, upgrades from an older version (and refuses
# a silent downgrade), uninstalls silently
# and checks the data folder is still there. Called by scripts/test-all.sh after
# scripts/build-installer.sh. Anything unexpected stops it with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
SETUP="$PWD/target/installer/保修中心工作台-$VERSION-setup.exe"
[ -f "$SETUP" ] || { echo "no installer at $SETUP: run scripts/build-installer.sh first" >&2; exit 1; }

WORK=$(mktemp -d /tmp/wdesk-wine.XXXXXX)
export WINEPREFIX="$WORK/prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono/Gecko prompts; our ProcessPrng stand-in before Wine's own bcryptprimitives.
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n,b"
unset WDESK_DATA_DIR DISPLAY WAYLAND_DISPLAY
cleanup() { wineserver -k >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

fail() { echo "WINE SCENARIO FAILED: $*" >&2; exit 1; }
step() { echo "--> $*"; }

step "fresh Wine prefix"
wine wineboot --init >/dev/null 2>&1 || true
wineserver -w
SYS32="$WINEPREFIX/drive_c/windows/system32"
x86_64-w64-mingw32-gcc -shared -O2 -o "$SYS32/bcryptprimitives.dll" \
  installer/windows/wine-fixture/processprng.c installer/windows/wine-fixture/processprng.def -ladvapi32
USERDIR=$(ls -d "$WINEPREFIX/drive_c/users/"*/ | grep -v Public | head -1)
INST="${USERDIR}AppData/Local/Programs/保修中心工作台"
DATA="${USERDIR}AppData/Roaming/WarrantyDesk/WarrantyDesk/data"

# An "older version" of the desk (same programs, version 0.0.1) to upgrade from.
OLD_SETUP="$WORK/old-setup.exe"
makensis -V1 -INPUTCHARSET UTF8 -DFAST_COMPRESSION -DVERSION=0.0.1 -DSRCDIR="$PWD/target/installer/stage" \
  -DOUTFILE="$OLD_SETUP" installer/windows/warranty-desk.nsi
installed_version() {
  wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\WarrantyDesk' /v DisplayVersion 2>/dev/null \
    | tr -d '\r' | awk '/DisplayVersion/ {print $NF}'
}

step "silent install of an older version (0.0.1)"
wine "$OLD_SETUP" /S
wineserver -w
[ "$(installed_version)" = 0.0.1 ] || fail "the older version did not install"
for f in warranty-desk.exe wdesk.exe WebView2Loader.dll uninstall.exe icon.ico fonts/NotoSansSC-Regular.ttf licenses/LICENSE.txt licenses/NotoSansSC-OFL.txt licenses/THIRD-PARTY.txt; do
  [ -f "$INST/$f" ] || fail "installed folder lacks $f"
done
[ -f "${USERDIR}AppData/Roaming/Microsoft/Windows/Start Menu/Programs/保修中心工作台.lnk" ] || fail "no Start-menu shortcut"
[ -f "${USERDIR}Desktop/保修中心工作台.lnk" ] || fail "no desktop shortcut"
reg=$(wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\WarrantyDesk' 2>/dev/null | tr -d '\r')
echo "$reg" | grep -q "UninstallString" || fail "no uninstall entry: $reg"

# wdesk.exe as a script on a Windows PC calls it: default data folder, Chinese output.
W() { wine "$INST/wdesk.exe" "$@"; }
OUTDIR_UNIX="$WINEPREFIX/drive_c/保修 文件"
OUTDIR='C:\保修 文件'
mkdir -p "$OUTDIR_UNIX"

step "the installed wdesk.exe has no dev tools: demo and bench answer in Chinese"
for cmd in demo bench; do
  if W "$cmd" > "$WORK/$cmd.out" 2> "$WORK/$cmd.err"; then fail "wdesk.exe $cmd ran: the shipped build carries the dev tools"; fi
  grep -q "是开发工具，安装版不含" "$WORK/$cmd.err" || fail "wdesk.exe $cmd did not say why: $(cat "$WORK/$cmd.err")"
done
if W --help | grep -E '^ +(demo|bench|stress) ' >/dev/null; then fail "wdesk.exe --help lists a dev tool"; fi
[ ! -e "$DATA/warranty-desk.sqlite" ] || fail "wdesk.exe demo wrote a database"

step "demo in %APPDATA% (written by the debug build's wdesk, which has the dev tools)"
# The demo database is written by the native debug wdesk (scripts/build.sh) into the Windows
# data folder; from here on only the installed wdesk.exe touches it.
[ -x target/debug/wdesk ] || fail "no target/debug/wdesk: run scripts/build.sh first"
target/debug/wdesk --data "$DATA" demo
[ -f "$DATA/warranty-desk.sqlite" ] || fail "demo did not write $DATA/warranty-desk.sqlite"

step "ticket new with Chinese text"
new=$(W ticket new --unit 1-1-101 --phone 13800138000 --desc "卫生间地漏反水，楼下渗漏" --part 地漏 --json)
no=$(echo "$new" | python3 -c 'import json,sys; print(json.load(sys.stdin)["no"])')
[[ "$no" == BX-* ]] || fail "ticket new returned $new"

step "ticket list --json, search by a 2-character word and by phone suffix"
W ticket list --json --limit 5 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["total"] > 200, d["total"]; assert d["items"][0]["no"] == sys.argv[1], d["items"][0]' "$no"
W ticket list --query 反水 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(i["no"] == sys.argv[1] for i in d["items"]), d' "$no"
W ticket list --query 8000 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(i["no"] == sys.argv[1] for i in d["items"]), d' "$no"

step "print f02 into a folder with Chinese characters and a space"
# The demo's first ticket that has a dispatch slip (read-only look into the database).
dispatched=$(python3 - "$DATA/warranty-desk.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(c.execute("SELECT t.no FROM ticket t JOIN dispatch_notice d ON d.ticket_id = t.id ORDER BY t.id LIMIT 1").fetchone()[0])
PY
)
W print f02 "$dispatched" --out "$OUTDIR\\调度单 $dispatched.pdf"
pdftotext "$OUTDIR_UNIX/调度单 $dispatched.pdf" - | grep -q "$dispatched" || fail "the F02 PDF does not show $dispatched"
pdftotext "$OUTDIR_UNIX/调度单 $dispatched.pdf" - | grep -q "调度单" || fail "the F02 PDF has no title"
# The form font is the installed file beside the programs: without it printing stops with a
# message naming it (and nothing else breaks); put back, printing works again.
mv "$INST/fonts/NotoSansSC-Regular.ttf" "$WORK/font.ttf"
if W print f02 "$dispatched" --out "$OUTDIR\\no-font.pdf" > "$WORK/nofont.txt" 2>&1; then fail "printed without the installed font"; fi
grep -q "NotoSansSC-Regular.ttf" "$WORK/nofont.txt" || fail "no message naming the missing font: $(cat "$WORK/nofont.txt")"
[ ! -f "$OUTDIR_UNIX/no-font.pdf" ] || fail "a PDF was written without the font"
mv "$WORK/font.ttf" "$INST/fonts/NotoSansSC-Regular.ttf"
W print f02 "$dispatched" --out "$OUTDIR\\调度单 $dispatched.pdf" >/dev/null || fail "printing failed with the font put back"

step "ledger import of a department workbook, export for finance"
cp crates/service/tests/fixtures/ledger/good_both.xlsx "$OUTDIR_UNIX/项目部 明细账.xlsx"
W ledger import "$OUTDIR\\项目部 明细账.xlsx" --json > "$WORK/import.json" || true
python3 - "$WORK/import.json" <<'PY' || fail "ledger import: $(cat "$WORK/import.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and d["written"], d
names = {b["name"]: b["balance_fen"] for b in d["builders"]}
assert names.get("浙江宏达建设工程有限公司") == 33_987_655, names
PY
W ledger export --quarter 2024Q3 --out "$OUTDIR\\财务 2024Q3.xlsx"
python3 - "$OUTDIR_UNIX/财务 2024Q3.xlsx" <<'PY' || fail "the finance export is not a workbook with the ledger"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
assert "记-020" in text and "中建三局" in text, "the quarter's entries are missing"
PY

step "report daily --out .eml"
W report daily --date 2026-12-01 --out "$OUTDIR\\工作日报 2026-12-01.eml"
grep -q "X-Unsent: 1" "$OUTDIR_UNIX/工作日报 2026-12-01.eml" || fail "the .eml is not a draft"
grep -qi "application/pdf" "$OUTDIR_UNIX/工作日报 2026-12-01.eml" || fail "the .eml has no PDF attached"

step "two wdesk.exe writing at once (one database, one writer at a time)"
for x in a b; do
  ( if W ticket new --unit 1-1-101 --phone "1390013900$([ $x = a ] && echo 1 || echo 2)" --desc "窗户渗水$x" --part 窗户 --json \
        > "$WORK/$x.json" 2> "$WORK/$x.err"; then echo 0; else echo 1; fi > "$WORK/$x.rc" ) &
done
wait
for x in a b; do
  if [ "$(cat "$WORK/$x.rc")" != 0 ]; then
    grep -q "正在被另一程序使用" "$WORK/$x.err" || fail "a concurrent write failed without the clear message: $(cat "$WORK/$x.err")"
  fi
done
W ticket list --query 窗户渗水 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = [x for x in "ab" if open(sys.argv[1] + "/" + x + ".rc").read().strip() == "0"]
assert d["total"] == len(ok), (d["total"], ok)' "$WORK"

step "backup, restore --yes, check"
W backup --json > "$WORK/backup.json" || fail "wdesk backup failed: $(cat "$WORK/backup.json")"
backup_win=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' "$WORK/backup.json")
backup_unix=$(winepath -u "$backup_win" 2>/dev/null)
[ -s "$backup_unix" ] || fail "the backup file $backup_win is missing"
W backup --to "$OUTDIR\\U盘 备份" >/dev/null || fail "backup to a folder with Chinese characters and a space failed"
ls "$OUTDIR_UNIX/U盘 备份/"*.sqlite >/dev/null || fail "no backup in the chosen folder"
W ticket new --unit 1-1-102 --phone 13700137000 --desc "恢复后应消失" --part 门 >/dev/null
W restore "$backup_win" --yes
W ticket list --query 恢复后应消失 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["total"] == 0, d'
W check

step "warranty-desk.exe without WebView2: a Chinese message, a clean exit"
set +e
WDESK_NO_DIALOG=1 timeout 120 wine "$INST/warranty-desk.exe" > "$WORK/app.out" 2> "$WORK/app.err"
rc=$?
set -e
[ "$rc" != 124 ] || fail "warranty-desk.exe hung instead of exiting"
[ "$rc" != 0 ] || fail "warranty-desk.exe exited 0 without WebView2"
grep -q "WebView2" "$WORK/app.err" || fail "no WebView2 message (exit $rc): $(tail -5 "$WORK/app.err")"
grep -q "panicked" "$WORK/app.err" && fail "warranty-desk.exe panicked: $(cat "$WORK/app.err")"
grep -a "WebView2" "$WORK/app.err" | head -2

step "upgrade to $VERSION: $(basename "$SETUP") ($(( $(stat -c %s "$SETUP") / 1024 )) KB), data kept"
tickets_before=$(W ticket list --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
wine "$SETUP" /S
wineserver -w
[ "$(installed_version)" = "$VERSION" ] || fail "the upgrade did not replace 0.0.1 (应用和功能 says $(installed_version))"
tickets_after=$(W ticket list --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$tickets_before" = "$tickets_after" ] || fail "the upgrade lost tickets: $tickets_before → $tickets_after"
W check >/dev/null

step "a silent downgrade is refused"
wine "$OLD_SETUP" /S || true
wineserver -w
[ "$(installed_version)" = "$VERSION" ] || fail "the older setup replaced $VERSION without asking"

step "silent uninstall keeps the data folder"
wine "$INST/uninstall.exe" /S
wineserver -w
sleep 2; wineserver -w
[ ! -f "$INST/wdesk.exe" ] || fail "uninstall left wdesk.exe"
[ ! -e "$INST/fonts" ] || fail "uninstall left the fonts folder"
[ ! -f "${USERDIR}Desktop/保修中心工作台.lnk" ] || fail "uninstall left the desktop shortcut"
[ -f "$DATA/warranty-desk.sqlite" ] || fail "uninstall deleted the data"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\WarrantyDesk' >/dev/null 2>&1 && fail "uninstall left the 应用和功能 entry"
echo "WINE SCENARIO PASSED: install, $no, F02, ledger, F03 .eml, concurrent writes, backup/restore/check, no-WebView2 message, upgrade, uninstall kept the data"
