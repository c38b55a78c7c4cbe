#!/usr/bin/env bash
# Ingest benchmark (issue 2): mpdstat ingest versus DuckDB reading, counting and
# grouping the same CSV files. Prints a table; not a test.
#   bench/ingest_bench.sh [ROWS]        (default 20,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-20000000}
OUT=bench/out/ingest
BUILD=${BUILD:-build}
[ -x "$BUILD/gen_events" ] || cmake --build "$BUILD" --target gen_events mpdstat >/dev/null
if [ ! -f "$OUT/.rows-$ROWS" ]; then
  rm -rf "$OUT"
  "$BUILD/gen_events" "$OUT" "$ROWS"
  touch "$OUT/.rows-$ROWS"
fi
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
fi
export MPDSTAT_BENCH_KEY=benchmark-key-0123456789abcdef
export HOSTINFO="$(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
SIZE=$(du -sb "$OUT/events" | cut -f1)

run_mpdstat() {  # threads
  rm -rf "$OUT/work" "$OUT/out"
  sed -i "s/^threads = .*//" "$OUT/mpdstat.toml"
  printf 'threads = %s\n' "$1" >> "$OUT/mpdstat.toml"
  /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$BUILD/mpdstat" ingest "$OUT/mpdstat.toml" >"$OUT/ingest.log"
  read -r secs kb user sys < "$OUT/time.txt"
  echo "$secs $kb $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}
read -r m1 m1kb m1cpu < <(run_mpdstat 1)
read -r m2 m2kb m2cpu < <(run_mpdstat 2)
/usr/bin/time -f "%e %M %U %S" -o "$OUT/duck-time.txt" node bench/duckdb_ingest.mjs "$OUT" 2 > "$OUT/duck.json"
read -r dsecs dkb duser dsys < "$OUT/duck-time.txt"
dcpu=$(awk -v u="$duser" -v s="$dsys" 'BEGIN { print u + s }')

export LOADAVG="$(cut -d" " -f1-3 /proc/loadavg)"
awk -v rows="$ROWS" -v size="$SIZE" -v m1="$m1" -v m1kb="$m1kb" -v m2="$m2" -v m2kb="$m2kb" \
    -v d="$dsecs" -v dkb="$dkb" -v m1cpu="$m1cpu" -v m2cpu="$m2cpu" -v dcpu="$dcpu" 'BEGIN {
  printf "Ingest of %d rows (%.2f GB of CSV) on %s\n", rows, size / 1e9, ENVIRON["HOSTINFO"];
  printf "| engine | threads | wall s | rows/s | CPU s (user+sys) | peak RSS MiB |\n|---|---|---|---|---|---|\n";
  printf "| mpdstat ingest (parse, clean, pseudonymise, sort, store) | 1 | %.1f | %.2fM | %.1f | %.0f |\n", m1, rows / m1 / 1e6, m1cpu, m1kb / 1024;
  printf "| mpdstat ingest | 2 | %.1f | %.2fM | %.1f | %.0f |\n", m2, rows / m2 / 1e6, m2cpu, m2kb / 1024;
  printf "| DuckDB read_csv + count + group by day, cell | 2 | %.1f | %.2fM | %.1f | %.0f |\n", d, rows / d / 1e6, dcpu, dkb / 1024;
  printf "mpdstat (2 threads) / DuckDB speed: %.2fx wall, %.2fx CPU\n", d / m2, dcpu / m2cpu;
  printf "load average at the end: %s\n", ENVIRON["LOADAVG"];
}'
grep -E "rows read" "$OUT/ingest.log" || true
cat "$OUT/duck.json"
