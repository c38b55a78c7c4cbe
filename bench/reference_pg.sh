#!/usr/bin/env bash
# PostgreSQL baseline (bench/run.sh): COPY the event files in, compute the
# reference indicators of bench/sql/reference.sql, write them as CSV.
# Runs psql as the postgres user. Usage: reference_pg.sh CELL_ZONE_CSV OUT_DIR FILE...
set -euo pipefail
cell_zone=$1; out=$2; shift 2
mkdir -p "$out"; chmod 777 "$out"
db=mpdstat_bench
psql() { runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
{
  echo "SET work_mem = '256MB'; SET max_parallel_workers_per_gather = 2;"
  echo "CREATE UNLOGGED TABLE raw (id BIGINT GENERATED ALWAYS AS IDENTITY, user_id TEXT, ts TIMESTAMP, cell_id TEXT,"
  echo "  event_type TEXT, mcc TEXT, mnc TEXT, plmn TEXT, duration TEXT);"
  echo "CREATE UNLOGGED TABLE cell_zone (cell TEXT, zone TEXT);"
  echo "\\copy cell_zone FROM '$(realpath "$cell_zone")' CSV HEADER"
  for f in "$@"; do
    case "$f" in
      *.zst) src="PROGRAM 'zstdcat $(realpath "$f")'" ;;
      *.gz) src="PROGRAM 'zcat $(realpath "$f")'" ;;
      *) src="'$(realpath "$f")'" ;;
    esac
    echo "\\copy raw (user_id, ts, cell_id, event_type, mcc, mnc, plmn, duration) FROM $src CSV HEADER"
  done
  echo "ANALYZE raw;"
  cat "$(dirname "$0")/sql/reference.sql"
  for t in events present home od; do
    echo "\\copy r_$t TO '$(realpath "$out")/$t.csv' CSV HEADER"
  done
} | psql -d $db
psql -d postgres -c "DROP DATABASE $db"
