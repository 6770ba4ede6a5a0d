#!/usr/bin/env bash
# The users run Windows. Builds the Windows programs and the installer
# (scripts/build-installer.sh: release profile "dist", makensis), then installs and runs them
# under Wine (scripts/wine-scenario.sh): a Windows build that does not start, cannot find its
# data folder, or fails to back up its database fails the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-installer.sh
bash scripts/wine-scenario.sh
