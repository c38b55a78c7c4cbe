#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, build-fuzz/) and runs each
# for SECONDS (default 60) on a scratch copy of its committed corpus in
# fuzz/corpus/<target>/, so the repository's corpus stays small and reviewed.
# A crash stops with the reproducer saved in build-fuzz/findings/<target>/;
# turn each one into a regression test under tests/ (see docs/reliability.md).
#   Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv_timestamp config partition parquet)

jobs="${MPDSTAT_FUZZ_JOBS:-2}"
# A unity build (batches of 8 files) compiles the engine in about half the time.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMPDSTAT_FUZZ=ON -DMPDSTAT_BENCH=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build-fuzz -j"$jobs"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for t in "${targets[@]}"; do
  work="build-fuzz/corpus-run/$t"
  findings="build-fuzz/findings/$t"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp fuzz/corpus/"$t"/* "$work"/
  echo "fuzz: $t for ${seconds}s"
  # -rss_limit_mb / -malloc_limit_mb: a header that makes a parser allocate
  # gigabytes is a finding, not a slow run.
  if ! build-fuzz/fuzz/fuzz_"$t" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -malloc_limit_mb=1024 -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 \
      >"build-fuzz/fuzz_$t.log" 2>&1; then
    echo "fuzz: $t FAILED; reproducer(s) in $findings/, log in build-fuzz/fuzz_$t.log"
    tail -n 40 "build-fuzz/fuzz_$t.log"
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "build-fuzz/fuzz_$t.log" | sed "s/^/fuzz: $t /" || true
  fi
done
exit $status
