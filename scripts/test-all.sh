#!/usr/bin/env bash
# The one test command (npm run test:all): on a fresh Debian 12 machine, as root, it installs
# what the tests need, builds, lints and runs every suite, unit and integration.
# It tears down what it started (dockerd, test InfluxDBs, test containers) on exit;
# KEEP_DOCKERD=1 leaves a dockerd it started running.
set -euo pipefail
cd "$(dirname "$0")/.."
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t_all=$(date +%s%N)

t=$(date +%s%N)
bash scripts/testenv/setup.sh
setup_ms=$(ms_since "$t")
trap 'bash scripts/testenv/stop-all.sh' EXIT

t=$(date +%s%N)
npm ci --no-audit --no-fund --loglevel=error
npm run build
npm run lint
build_ms=$(ms_since "$t")

t=$(date +%s%N)
report=$(mktemp --suffix=.json)
status=0
CI="${CI:-}" npx vitest run --reporter=default --reporter=json --outputFile="$report" || status=$?
tests_ms=$(ms_since "$t")
summary=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" 2>/dev/null || echo "tests: no report (vitest exited $status)")
rm -f "$report"

trap - EXIT
bash scripts/testenv/stop-all.sh
printf '[test:all] setup %d ms, install+build+lint %d ms, tests %d ms, total %d ms\n' \
  "$setup_ms" "$build_ms" "$tests_ms" "$(ms_since "$t_all")"
# The plain closing line, last, whatever reads the log: "tests: N passed, N failed, N skipped".
echo "$summary"
exit "$status"
