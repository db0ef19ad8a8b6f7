#!/usr/bin/env bash
# Builds the dashboard (web/) into web/dist, which tenantsync serves at `/`.
# Installs the npm packages only when node_modules is missing or older than package-lock.json.
# Quiet on success; on failure prints the step's output and exits non-zero.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/web"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_quiet() {
  if ! "$@" >"$log" 2>&1; then
    echo "build-web: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

"$root/scripts/npm-ci.sh" "$root/web"

run_quiet npm run build --silent
