#!/usr/bin/env bash
# Whole-job benchmark (issue 8): `mpdstat run` versus DuckDB and PostgreSQL
# computing the reference indicators (bench/sql/reference.sql) from the same
# CSV files, with wall time and peak memory (/usr/bin/time -v). The engines'
# results are checked equal to mpdstat's before their timings are printed.
# Prints a table; not a test.
#   bench/run.sh                 the bench preset (>= 100 M events, zstd CSV)
#   PRESET=demo bench/run.sh     a smaller scenario
#   SKIP_PG=1 / SKIP_DUCKDB=1    leave an engine out
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-bench}
BUILD=${BUILD:-build}
OUT=bench/out/$PRESET
MEM=${MEMORY_LIMIT:-2GiB}
BIN=$BUILD/mpdstat
[ -x "$BIN" ] || { echo "run.sh: build first (cmake --build $BUILD)" >&2; exit 1; }
[ -d bench/node_modules/@duckdb/node-api ] || (cd bench && npm install --silent --no-audit --no-fund >/dev/null)
if [ ! -f "$OUT/.done" ]; then
  rm -rf "$OUT"
  "$BIN" synth --preset "$PRESET" --out "$OUT" --quiet > /dev/null
  touch "$OUT/.done"
fi
bench/reference_setup.sh "$OUT" "$MEM"
chmod -R o+rX "$OUT/events" "$OUT"; chmod 600 "$OUT/pseudonymisation.key"  # psql runs as postgres
HOST="$(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
EVENTS=$(awk -F, 'NR > 1 { s += $4 } END { print s }' "$OUT/truth/events_per_day.csv")
mapfile -t FILES < <(ls "$OUT"/events/*)
timed() {  # label, command... → "$secs $peak_kb" in $OUT/$label.time
  /usr/bin/time -v -o "$OUT/$1.time" "${@:2}" > "$OUT/$1.log" 2>&1 || { echo "run.sh: $1 failed, see $OUT/$1.log" >&2; tail -3 "$OUT/$1.log" >&2; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /Maximum resident/ { kb = $2 } END { print s, kb }' "$OUT/$1.time"
}
run_mpdstat() {  # threads
  sed -i '/^threads = /d' "$OUT/mpdstat.toml"; printf 'threads = %s\n' "$1" >> "$OUT/mpdstat.toml"
  rm -rf "$OUT/work" "$OUT/out"
  timed "mpdstat-$1" "$BIN" run --force "$OUT/mpdstat.toml"
  cp "$OUT/out/manifest.json" "$OUT/manifest-$1.json" 2>/dev/null || true  # stage timings
}
read -r m1 m1kb < <(run_mpdstat 1)
cp "$OUT/mpdstat-1.log" "$OUT/summary-1.log"
read -r m2 m2kb < <(run_mpdstat 2)
REF=$OUT/work/reference
cp "$REF/cell_zone.csv" "$OUT/cell_zone.csv"  # the cell -> zone map (no personal data), readable by postgres
chmod 644 "$OUT/cell_zone.csv"
rows="| mpdstat run (every Tier II indicator + reference, memory_limit $MEM) | 1 | $m1 | $m1kb | — |
| mpdstat run | 2 | $m2 | $m2kb | — |"
if [ "${SKIP_DUCKDB:-0}" != 1 ]; then
  ext=${FILES[0]##*.}
  read -r d dkb < <(timed duckdb node bench/reference_duckdb.mjs "$OUT/events/*.$ext" "$OUT/cell_zone.csv" "$OUT/duckdb-ref" 2)
  ok=$(bench/reference_compare.sh "$REF" "$OUT/duckdb-ref" > "$OUT/duckdb-check.txt" && echo equal || echo DIFFERENT)
  rows+="
| DuckDB $(node -e "console.log(require('./bench/node_modules/@duckdb/node-api/package.json').version)") (reference SQL) | 2 | $d | $dkb | $ok |"
fi
if [ "${SKIP_PG:-0}" != 1 ]; then
  pg_ctlcluster 15 main start 2>/dev/null || true
  read -r p pkb < <(timed pg bench/reference_pg.sh "$OUT/cell_zone.csv" "$OUT/pg-ref" "${FILES[@]}")
  ok=$(bench/reference_compare.sh "$REF" "$OUT/pg-ref" > "$OUT/pg-check.txt" && echo equal || echo DIFFERENT)
  rows+="
| PostgreSQL 15 (COPY + reference SQL; peak = psql client only) | 2 | $p | $pkb | $ok |"
fi
echo "Preset $PRESET: $EVENTS events, $(du -sb "$OUT/events" | awk '{printf "%.2f GB", $1/1e9}') of event files (${#FILES[@]} files); $HOST"
echo "| engine | threads | wall s | peak RSS KiB | results vs mpdstat |"
echo "|---|---|---|---|---|"
echo "$rows"
echo
echo "Stages of mpdstat (1 and 2 threads), events per second per core:"
for t in 1 2; do
  f=$OUT/mpdstat-$t.log; [ "$t" = 1 ] && f=$OUT/summary-1.log
  dev=$(grep -o 'events in [0-9.]* s' "$f" | awk '{print $3}')
  printf '  %s thread(s): whole run %.2f M events/s/core; per-device pass %s s = %.2f M events/s/core\n' "$t" \
    "$(awk -v e="$EVENTS" -v s="$( [ $t = 1 ] && echo $m1 || echo $m2 )" -v t=$t 'BEGIN{print e/s/t/1e6}')" "$dev" \
    "$(awk -v e="$EVENTS" -v s="$dev" -v t=$t 'BEGIN{print (s > 0 ? e/s/t/1e6 : 0)}')"
  m=$OUT/manifest-$t.json
  [ -f "$m" ] && node -e '
    const [m, e, t] = [require(process.argv[1]).stages.ingest, +process.argv[2], +process.argv[3]];
    const r = (s) => (e / s / t / 1e6).toFixed(2);
    console.log(`      ingest ${m.seconds.toFixed(1)} s: read + parse + pseudonymise ${m.read_parse_seconds.toFixed(1)} s = ${r(m.read_parse_seconds)} M rows/s/core, ` +
                `clean + sort + write the store ${m.clean_write_seconds.toFixed(1)} s = ${r(m.clean_write_seconds)} M/s/core`);' "$(realpath "$m")" "$EVENTS" "$t"
done
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "Scaling 1 -> 2 threads: %.2fx\n", a / b }'
[ -n "${d:-}" ] && awk -v m="$m2" -v d="$d" 'BEGIN { printf "mpdstat (2 threads) vs DuckDB: %.2fx faster (goal 3x)\n", d / m }'
[ -n "${p:-}" ] && awk -v m="$m2" -v p="$p" 'BEGIN { printf "mpdstat (2 threads) vs PostgreSQL: %.2fx faster (goal 30x)\n", p / m }'
awk -v kb="$m2kb" 'BEGIN { printf "mpdstat peak memory %.0f MiB (goal <= 2048 MiB)\n", kb / 1024 }'
