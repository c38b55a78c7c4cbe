#!/usr/bin/env bash
# Parquet interop with DuckDB (a ctest test; exits 77 = skipped without node or
# the npm package: `cd tests/parquet && npm install`):
#  1. a synthetic scenario's events converted to Parquet by DuckDB give the same
#     Tier II files, byte for byte, as the CSV events;
#  2. every Tier II table mpdstat writes as Parquet reads in DuckDB as its CSV twin.
#   tests/parquet/interop.sh MPDSTAT_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mpdstat="${1:?usage: interop.sh MPDSTAT_BINARY}"
command -v node >/dev/null || { echo "SKIP: node not found"; exit 77; }
[ -d "$here/node_modules/@duckdb/node-api" ] || { echo "SKIP: run 'npm install' in tests/parquet"; exit 77; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$mpdstat" synth --out "$tmp/csv" --preset test --quiet
cp -r "$tmp/csv" "$tmp/pq"
printf '\n[outputs]\nformats = ["csv", "parquet"]\n' >> "$tmp/csv/mpdstat.toml"
node "$here/interop.mjs" to-parquet "$tmp/pq"
rm "$tmp"/pq/events/*.csv.gz
sed -i 's|events = \["events/\*.csv.gz"\]|events = ["events/*.parquet"]|' "$tmp/pq/mpdstat.toml"
grep -q 'events/\*.parquet' "$tmp/pq/mpdstat.toml"

"$mpdstat" run --force "$tmp/csv/mpdstat.toml" > "$tmp/csv.log" || { cat "$tmp/csv.log"; exit 1; }
"$mpdstat" run --force "$tmp/pq/mpdstat.toml" > "$tmp/pq.log" || { cat "$tmp/pq.log"; exit 1; }
for f in "$tmp"/csv/out/tier2/*.csv; do
  cmp "$f" "$tmp/pq/out/tier2/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs between CSV and Parquet events"; exit 1; }
done
echo "ok   Parquet events (DuckDB) give the Tier II files of the CSV events: $(ls "$tmp"/csv/out/tier2/*.csv | wc -l) files identical"
node "$here/interop.mjs" compare "$tmp/csv/out/tier2"
