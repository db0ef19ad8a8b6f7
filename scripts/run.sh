#!/usr/bin/env bash
# The run command: installs what is missing, builds (release), and runs tenantsync on
# SQLite in ./data. Without a real voice key configured, it also starts the upstream
# simulator with a demo account and points tenantsync at it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
if [ -f web/package.json ]; then scripts/build-web.sh; fi
# Only the two programs the demo runs: the test binaries are the test command's business.
scripts/build.sh build/release -DCMAKE_BUILD_TYPE=Release -- --target tenantsync tenantsync-sim
exec scripts/demo.sh build/release "$@"
