#!/usr/bin/env bash
# Installs what tenantsync needs to build, run and test on Debian 12, only what is missing.
#   scripts/install-deps.sh            build + run dependencies
#   scripts/install-deps.sh --test     also what the tests need (PostgreSQL server, HAProxy, Chromium,
#                                      sqlite3, clang 14 and its runtimes for the libFuzzer targets,
#                                      wrk for the benchmarks' check)
#   scripts/install-deps.sh --cluster  also what scripts/cluster.sh needs (PostgreSQL server, HAProxy)
#   scripts/install-deps.sh --bench    also what bench/ needs (wrk for the API load, perf for profiles,
#                                      the PostgreSQL server for its figures)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libboost1.74-dev libsimdjson-dev nlohmann-json3-dev libcurl4-openssl-dev libsqlite3-dev
  libpq-dev libphonenumber-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
)
# Node.js (web UI build, functional and browser tests): Debian's packages only when the machine
# has no node/npm of its own (a NodeSource nodejs bundles npm and conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "${1:-}" = "--test" ]; then
  # sqlite3: the kill loops read a dead server's SQLite database (tests/functional/crash/);
  # clang-14 and its runtime: the libFuzzer targets (fuzz/); haproxy: the cluster test; wrk: the
  # API load benchmark, which the test command's bench/run.sh check runs at 1 %.
  packages+=(postgresql haproxy chromium sqlite3 clang-14 libclang-rt-14-dev wrk)
elif [ "${1:-}" = "--cluster" ]; then
  packages+=(postgresql haproxy)
elif [ "${1:-}" = "--bench" ]; then
  packages+=(wrk linux-perf postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
