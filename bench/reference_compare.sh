#!/usr/bin/env bash
# Compares an engine's reference indicators with mpdstat's (rows sorted, header
# dropped). Prints one line per file; exit 1 on any difference.
# Usage: bench/reference_compare.sh MPDSTAT_REFERENCE_DIR ENGINE_DIR
set -uo pipefail
rc=0
for t in events present home od; do
  a=$(tail -n +2 "$1/$t.csv" | LC_ALL=C sort | md5sum); b=$(tail -n +2 "$2/$t.csv" | LC_ALL=C sort | md5sum)
  n=$(tail -n +2 "$1/$t.csv" | wc -l)
  if [ "$a" = "$b" ]; then echo "  $t.csv: $n rows, equal"; else
    echo "  $t.csv: DIFFERENT"; diff <(tail -n +2 "$1/$t.csv" | LC_ALL=C sort) <(tail -n +2 "$2/$t.csv" | LC_ALL=C sort) | head -5; rc=1; fi
done
exit $rc
