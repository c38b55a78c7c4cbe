#!/usr/bin/env bash
# Parquet ingest benchmark (issue 9): mpdstat ingest of the same events as CSV
# and as Parquet written by DuckDB (ZSTD, v2, typed timestamp). Prints a table; not a test.
#   bench/parquet_ingest_bench.sh [ROWS] [THREADS]     (default 5,000,000 rows, 2 threads)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
THREADS=${2:-2}
OUT=bench/out/parquet
BUILD=${BUILD:-build}
[ -x "$BUILD/gen_events" ] || cmake --build "$BUILD" --target gen_events mpdstat >/dev/null
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
fi
if [ ! -f "$OUT/.rows-$ROWS" ]; then
  rm -rf "$OUT"
  "$BUILD/gen_events" "$OUT" "$ROWS" >/dev/null
  node bench/duckdb_to_parquet.mjs "$OUT"
  sed -e 's|events = \["events/\*.csv"\]|events = ["parquet/*.parquet"]|' "$OUT/mpdstat.toml" > "$OUT/parquet.toml"
  touch "$OUT/.rows-$ROWS"
fi
export MPDSTAT_BENCH_KEY=benchmark-key-0123456789abcdef

run() {  # config → "wall_s peak_kb read_parse_s"
  rm -rf "$OUT/work" "$OUT/out"
  sed -i "s/^threads = .*//" "$1"
  printf 'threads = %s\n' "$THREADS" >> "$1"
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$BUILD/mpdstat" ingest "$1" > "$OUT/ingest.log"
  read -r secs kb < "$OUT/time.txt"
  local rp
  rp=$(sed -n 's/.*"read_parse_seconds": \([0-9.]*\).*/\1/p' "$OUT/out/manifest.json" | head -1)
  echo "$secs $kb $rp"
}
read -r c_s c_kb c_rp < <(run "$OUT/mpdstat.toml")
c_store=$(cd "$OUT/work/store" && find . -type f -name '*.mpds' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
read -r p_s p_kb p_rp < <(run "$OUT/parquet.toml")
p_store=$(cd "$OUT/work/store" && find . -type f -name '*.mpds' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
csv_bytes=$(du -sb "$OUT/events" | cut -f1)
pq_bytes=$(du -sb "$OUT/parquet" | cut -f1)
awk -v rows="$ROWS" -v t="$THREADS" -v cs="$c_s" -v ckb="$c_kb" -v crp="$c_rp" -v ps="$p_s" -v pkb="$p_kb" -v prp="$p_rp" \
    -v cb="$csv_bytes" -v pb="$pq_bytes" 'BEGIN {
  printf "mpdstat ingest of %d rows, %d threads, on %s\n", rows, t, ENVIRON["HOSTNAME"] ? ENVIRON["HOSTNAME"] : "this machine";
  printf "| input | size MB | read + parse s | rows/s (read + parse) | whole ingest s | peak RSS MiB |\n|---|---|---|---|---|---|\n";
  printf "| CSV (plain) | %.0f | %.2f | %.2fM | %.1f | %.0f |\n", cb / 1e6, crp, rows / crp / 1e6, cs, ckb / 1024;
  printf "| Parquet (DuckDB, ZSTD, v2) | %.0f | %.2f | %.2fM | %.1f | %.0f |\n", pb / 1e6, prp, rows / prp / 1e6, ps, pkb / 1024;
  printf "Parquet / CSV read + parse speed: %.2fx\n", crp / prp;
}'
echo "store partitions identical: $([ "$c_store" = "$p_store" ] && echo yes || echo "NO ($c_store vs $p_store)")"
