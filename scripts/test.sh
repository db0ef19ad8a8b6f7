#!/usr/bin/env bash
# The test command: installs what is missing, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer and warnings as errors, and runs every test (unit, store suite
# on SQLite and on a throw-away PostgreSQL, functional tests of the real binaries, browser tests),
# then the threaded tests under ThreadSanitizer and each fuzz target for a few seconds
# (docs/testing.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --test
if [ -f web/package.json ]; then scripts/build-web.sh; fi
# The providers' official Node clients, which the simulator is tested against.
scripts/npm-ci.sh tests/official_clients
# Stoplight Prism, which serves Bolna's official OpenAPI spec to tests/functional/bolna-spec.test.mjs.
scripts/npm-ci.sh tests/prism
# Ajv, with which the functional tests check every answer against src/api/openapi.json.
scripts/npm-ci.sh tests/openapi
scripts/build.sh build/test -DCMAKE_BUILD_TYPE=Debug -DTENANTSYNC_SANITIZE=ON -DTENANTSYNC_WERROR=ON
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Two at a time: most functional tests wait on processes and the network, not the CPU
# (TENANTSYNC_TEST_JOBS=1 runs them one by one).
ctest --test-dir build/test --output-on-failure --timeout 900 --parallel "${TENANTSYNC_TEST_JOBS:-2}" "$@"
# The benchmarks keep running (a check, not a measurement): bench/run.sh once at 1 % of the data,
# with this build's binaries (docs/benchmarks.md); it fails on a benchmark that fails.
TENANTSYNC_BIN=build/test/tenantsync TENANTSYNC_SIM_BIN=build/test/tenantsync-sim \
  timeout 480 bench/run.sh --scale 0.01 --runs 1 --log-dir build/test/bench-logs
# ThreadSanitizer: its own build folder, the one test binary only.
scripts/build.sh build/tsan -DCMAKE_BUILD_TYPE=Debug -DTENANTSYNC_TSAN=ON -DTENANTSYNC_WERROR=ON \
  -- --target tenantsync_tsantest
ctest --test-dir build/tsan -L tsan --output-on-failure
# The fuzz smoke: every target on its seeds for a few seconds, so each keeps building and clean.
# A fixed seed fixes the order of the mutations, not how many a target gets in its seconds: a
# faster or quieter machine reaches further (CI found the Sforce-Limit-Info sign that a run here
# had not), so a failure's input is kept in build/fuzz/artifacts to replay. Long runs
# (scripts/fuzz.sh 3600) draw a random seed and explore.
FUZZ_SEED=${FUZZ_SEED:-1} scripts/fuzz.sh "${TENANTSYNC_FUZZ_SECONDS:-4}"
