#!/usr/bin/env bash
# Installs a folder's npm packages from its package-lock.json, only when node_modules is
# missing or older than the lock file. Quiet on success; on failure prints npm's output.
set -euo pipefail
dir=$1
cd "$dir"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm-ci: npm is not installed (run scripts/install-deps.sh)" >&2
  exit 1
fi
# npm ci replaces node_modules whole; touching the folder records which lockfile it matches.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    echo "npm-ci: 'npm ci' in $dir failed:" >&2
    cat "$log" >&2
    exit 1
  fi
  touch node_modules
fi
