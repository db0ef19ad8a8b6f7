#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang-14, ASan + UBSan, in build/fuzz) and runs each for
# SECONDS (default 60) on its committed seeds, fuzz/corpus/<target>/. New inputs go to a scratch
# folder, never into the committed corpus; a crash, a leak, a timeout of one input (10 s) or more
# than 2 GB of memory fails the script, and the input is kept in build/fuzz/artifacts/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# FUZZ_JOBS=N runs N targets at once (default 1: the CPU time per target is then SECONDS).
# FUZZ_SEED=N fixes the mutation sequence (default 0: a random seed); the test command uses 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
jobs=${FUZZ_JOBS:-1}

CC=clang-14 CXX=clang++-14 scripts/build.sh build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENANTSYNC_FUZZ=ON \
  -- --target fuzz_all >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in fuzz/*.cpp; do
    grep -q LLVMFuzzerTestOneInput "$source" && targets+=("$(basename "$source" .cpp)")
  done
fi

artifacts=$root/build/fuzz/artifacts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# run TARGET: fuzzes it and writes its line of the report to $scratch/TARGET.line.
run() {
  local target=$1 log=$scratch/$1.log
  mkdir -p "$scratch/$target.new"
  local start=$SECONDS status=0
  build/fuzz/fuzz/"$target" -max_total_time="$seconds" -seed="${FUZZ_SEED:-0}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" "$scratch/$target.new" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  local result=ok
  if [ "$status" != 0 ]; then
    result="FAILED (exit $status; $(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: .*|fuzz invariant broken: .*|ALARM: .*|out-of-memory.*' "$log" || echo see log))"
    cp "$log" "$artifacts/$target.log"
  fi
  printf '%-24s runs %10s  time %4ss  %s\n' "$target" "${runs:-?}" "$((SECONDS - start))" "$result" >"$scratch/$target.line"
  [ "$status" = 0 ]
}

failed=0
running=0
for target in "${targets[@]}"; do
  if [ ! -d "fuzz/corpus/$target" ]; then
    echo "fuzz/corpus/$target is missing: every target needs its seeds" >&2
    exit 2
  fi
  run "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

for target in "${targets[@]}"; do cat "$scratch/$target.line"; done
if [ "$failed" != 0 ]; then
  echo "fuzzing found a failure: inputs and logs in $artifacts" >&2
  exit 1
fi
