#!/usr/bin/env bash
# The one test command (npm run test:all): on a fresh Debian 12 machine, as root, it installs
# what the tests need, builds, lints and runs every suite, on two Docker pairs in turn:
#   legacy  Debian 12's Engine 20.10 (classic image store) with Compose 2.26, the oldest we
#           support: the compose end-to-end test and the collector's engine suites only;
#   modern  today's Engine 28.5 with the containerd image store, Compose 2.40 and buildx
#           (Bake): every suite, unit and integration.
# It tears down what it started (dockerd, test InfluxDBs, test containers) on exit;
# KEEP_DOCKERD=1 leaves the last engine running.
set -euo pipefail
cd "$(dirname "$0")/.."
testenv=scripts/testenv
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t_all=$(date +%s%N)
timings=()
timed() { local label=$1 t0; shift; t0=$(date +%s%N); "$@"; timings+=("$label $(ms_since "$t0") ms"); }

# What runs on the legacy pair: what depends on the engine's and Compose's version.
LEGACY_SUITES=(
  test/compose/stack.int.test.ts
  test/collector/accuracy.int.test.ts
  test/collector/lifecycle.int.test.ts
  test/collector/fastpath.int.test.ts
  test/collector/oom.int.test.ts
  test/collector/disk-usage.int.test.ts
  test/collector/engine-info.int.test.ts
)

timed setup env ENGINE=none bash "$testenv/setup.sh"
trap 'bash "$testenv/stop-all.sh"' EXIT

timed 'install+build+lint' sh -c 'npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run lint'

reports=()
status=0
# run_pass PAIR [vitest args...]: the pair's engine with the local images, its CLI and
# Compose selected, then vitest; a failing pass does not stop the next one.
run_pass() {
  local pair=$1 report; shift
  report=$(mktemp --suffix=".$pair.json")
  reports+=("$report")
  bash "$testenv/stop-all.sh" # the other pair's containers and engine, if any
  bash "$testenv/start-dockerd.sh" "$pair"
  (
    eval "$(bash "$testenv/engine-env.sh" "$pair")"
    bash "$testenv/build-images.sh" || exit 1
    CI="${CI:-}" npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@"
  ) || status=1
}
timed 'legacy pass (Engine 20.10, Compose 2.26)' run_pass legacy --project integration "${LEGACY_SUITES[@]}"
timed 'modern pass (Engine 28.5, Compose 2.40)' run_pass modern

trap - EXIT
bash "$testenv/stop-all.sh"
summary=$(node -e '
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    try {
      const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
    } catch { failed += 1; console.error(`no test report in ${file}: that pass did not run`); }
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "${reports[@]}")
rm -f "${reports[@]}"

for timing in "${timings[@]}"; do printf '[test:all] %s\n' "$timing"; done
printf '[test:all] total %d ms\n' "$(ms_since "$t_all")"
# The plain closing line, last, whatever reads the log: "tests: N passed, N failed, N skipped".
echo "$summary"
exit "$status"
