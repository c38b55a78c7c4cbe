#!/usr/bin/env bash
# Makes a synthetic scenario's mpdstat.toml write the reference indicators
# (work_dir/reference/) and turns off the device rules the reference SQL does
# not model (jumps, machine-like and hyperactive devices). Idempotent.
# Usage: bench/reference_setup.sh SCENARIO_DIR [MEMORY_LIMIT]
set -euo pipefail
toml=$1/mpdstat.toml
grep -q '^reference_outputs' "$toml" && exit 0
sed -i '/^\[cleaning\]/a jump_distance_km = 1e9\njump_speed_mps = 1e9\nmachine_min_events = 2000000000\nmax_events_per_day = 0' "$toml"
# The scenario's config ends with its [run] table.
printf 'reference_outputs = true\n' >> "$toml"
[ -n "${2:-}" ] && printf 'memory_limit = "%s"\n' "$2" >> "$toml"
exit 0
