#!/usr/bin/env bash
# The benchmarks: every figure of the performance issue in one table (bench/table.mjs), each
# benchmark run 3 times (min / median / max), with the core count and the load average.
# Usage: bench/run.sh [--scale 1] [--runs 3] [--write-docs]
#          [--only sync,sync-postgresql,crm-budget,voice-memory,api-load,hooks-latency,webhooks-out]
#        bench/run.sh sync [sync_bench.mjs options, e.g. --only crm --log-level info]   (one run, its log)
#        bench/run.sh cluster [cluster_bench.mjs options, e.g. --tenants 200 --latency-ms 100]
#        bench/run.sh webhooks [--scale 0.01]  (change committed → outbound webhook delivered)
#        (scripts/install-deps.sh --bench installs wrk, perf and the PostgreSQL server)
# Binaries: the Release build (only tenantsync and tenantsync-sim are built), unless
# TENANTSYNC_BIN and TENANTSYNC_SIM_BIN name binaries already built (the test command's check
# `bench/run.sh --scale 0.01 --runs 1` uses the test build's).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${TENANTSYNC_BIN:-}" ] || [ -z "${TENANTSYNC_SIM_BIN:-}" ]; then
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  # The configure step of scripts/build.sh, without its full build: the benchmarks need two targets.
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/release --parallel "$(nproc)" --target tenantsync tenantsync-sim >&2
  export TENANTSYNC_BIN=build/release/tenantsync TENANTSYNC_SIM_BIN=build/release/tenantsync-sim
fi
case "${1:-}" in
  cluster) shift; exec node bench/cluster_bench.mjs "$@" ;;
  webhooks) shift; exec node bench/webhooks_out_bench.mjs "$@" ;;
  sync) shift; exec node bench/sync_bench.mjs "$@" ;;
esac
exec node bench/table.mjs "$@"
