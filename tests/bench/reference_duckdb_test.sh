#!/usr/bin/env bash
# The benchmarks' SQL (bench/sql/reference.sql on DuckDB) computes the same
# reference indicators as mpdstat on a `synth --preset test` scenario.
# Usage: reference_duckdb_test.sh MPDSTAT ARTIFACT_DIR
# Exit 77 (skipped) when node or bench/node_modules/@duckdb/node-api is missing.
set -euo pipefail
mpdstat=$1; artifacts=$2
bench=$(cd "$(dirname "$0")/../../bench" && pwd)
if ! command -v node >/dev/null || [ ! -d "$bench/node_modules/@duckdb/node-api" ]; then
  echo "SKIP: node or @duckdb/node-api missing (cd bench && npm install)"; exit 77
fi
rm -rf "$artifacts"; mkdir -p "$artifacts"
"$mpdstat" synth --preset test --out "$artifacts/s" > "$artifacts/synth.log"
"$bench/reference_setup.sh" "$artifacts/s"
"$mpdstat" run --force "$artifacts/s/mpdstat.toml" > "$artifacts/run.log"
node "$bench/reference_duckdb.mjs" "$artifacts/s/events/*.csv.gz" "$artifacts/s/work/reference/cell_zone.csv" \
  "$artifacts/duckdb" 2 > "$artifacts/duckdb.log"
"$bench/reference_compare.sh" "$artifacts/s/work/reference" "$artifacts/duckdb"
for t in present home od; do [ "$(wc -l < "$artifacts/s/work/reference/$t.csv")" -gt 5 ] || { echo "FAIL: $t.csv is nearly empty"; exit 1; }; done
echo PASS
