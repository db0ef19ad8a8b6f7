#!/usr/bin/env bash
# Builds the Release binaries (only tenantsync and tenantsync-sim) and runs the sync benchmarks.
# Usage: bench/run.sh [sync_bench.mjs options, e.g. --only crm --log-level info]
#        bench/run.sh cluster [cluster_bench.mjs options, e.g. --tenants 200 --latency-ms 100]
#        (1 vs 3 instances on one PostgreSQL: scripts/install-deps.sh --test installs the server)
#        bench/run.sh webhooks [--scale 0.01]  (change committed → outbound webhook delivered)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# The configure step of scripts/build.sh, without its full build: the benchmarks need two targets.
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --parallel "$(nproc)" --target tenantsync tenantsync-sim
export TENANTSYNC_BIN=build/release/tenantsync TENANTSYNC_SIM_BIN=build/release/tenantsync-sim
if [ "${1:-}" = "webhooks" ]; then
  shift
  exec node bench/webhooks_out_bench.mjs "$@"
fi
if [ "${1:-}" = "cluster" ]; then
  shift
  exec node bench/cluster_bench.mjs "$@"
fi
node bench/sync_bench.mjs "$@"
