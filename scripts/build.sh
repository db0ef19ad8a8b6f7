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
# Paths relative to the checkout in ccache's keys, so a fresh clone in another folder (CI) reuses
# what an earlier build compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S "$root" -B "$dir" -G Ninja "${configure[@]}" >/dev/null
cmake --build "$dir" --parallel "$(nproc)" "$@"
