#!/usr/bin/env bash
# Configures and builds one build folder: scripts/build.sh DIR [cmake options...] [-- build options...]
# e.g. scripts/build.sh build/release -DCMAKE_BUILD_TYPE=Release -- --target tenantsync
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1; shift
configure=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do configure+=("$1"); shift; done
[ $# -gt 0 ] && shift  # the "--"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S "$root" -B "$dir" -G Ninja "${configure[@]}" >/dev/null
cmake --build "$dir" --parallel "$(nproc)" "$@"
