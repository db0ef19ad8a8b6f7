#!/usr/bin/env bash
# Builds the dashboard (web/) into web/dist, which tenantsync serves at `/`.
# Installs the npm packages only when node_modules is missing or older than package-lock.json.
# Quiet on success; on failure prints the step's output and exits non-zero.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/web"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm is not installed (run scripts/install-deps.sh)" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_quiet() {
  if ! "$@" >"$log" 2>&1; then
    echo "build-web: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

# npm ci replaces node_modules whole; touching the folder records which lockfile it matches.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  run_quiet npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi

run_quiet npm run build --silent
