#!/usr/bin/env bash
# Crash safety, the long run (issue 7 §2): 240 trials of SIGKILL at a random moment while the
# desk writes tickets, imports ~2,000-row ledgers and walks payments C5 → D8; after each kill the
# database is reopened and checked (integrity, ledger balances = entries, no partial import,
# paid requests = deductions, tickets with their audit record, nothing reported done lost).
# The CI run is the same test with 24 trials (scripts/test-all.sh via cargo test).
#   scripts/kill-test.sh            # 240 trials
#   WDESK_KILL_TRIALS=600 WDESK_KILL_SEED=11 scripts/kill-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export WDESK_KILL_TRIALS="${WDESK_KILL_TRIALS:-240}"
exec cargo test -p desk-service --test kill_test -- --nocapture
