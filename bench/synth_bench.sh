#!/usr/bin/env bash
# Times `mpdstat synth --preset bench` (>= 100 million events) and prints events/s.
# Not a test. Usage: bench/synth_bench.sh [BUILD_DIR] [OUT_DIR] [extra synth options...]
# The output (~1.3 GB zstd) is removed afterwards unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-bench/out/synth}
shift $(( $# > 2 ? 2 : $# )) || true
BIN="$BUILD/mpdstat"
[ -x "$BIN" ] || { echo "synth_bench: $BIN not found; build first (cmake --build $BUILD)" >&2; exit 1; }
rm -rf "$OUT"
start=$(date +%s.%N)
"$BIN" synth --out "$OUT" --preset bench --quiet "$@"
end=$(date +%s.%N)
events=$(awk -F, 'NR > 1 { s += $4 } END { print s }' "$OUT/truth/events_per_day.csv")
bytes=$(du -sb "$OUT/events" | cut -f1)
awk -v e="$events" -v s="$start" -v t="$end" -v b="$bytes" -v c="$(nproc)" 'BEGIN {
  d = t - s
  printf "synth bench: %d events in %.1f s on %d cores = %.0f events/s (%.2f GB of event files)\n", e, d, c, e / d, b / 1e9
}'
[ "${KEEP:-0}" = 1 ] || rm -rf "$OUT"
