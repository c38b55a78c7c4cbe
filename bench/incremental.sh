#!/bin/bash
# Full run vs `run --incremental` on synth --preset xdr split by day (docs/incremental.md).
# Prints user+sys CPU seconds and the pass line of each run, and checks Tier II identity.
# Usage: bench/incremental.sh [BUILD_DIR] [WORK_FOLDER]
set -euo pipefail
B=$(realpath "${1:-build}")/mpdstat
W=${2:-/tmp/mpdstat-incremental-bench}
rm -rf "$W" && "$B" synth --preset xdr --out "$W" --quiet
cd "$W"
config() {  # config over the first $1 event files
    files=$(ls events | head -"$1" | sed 's/.*/"events\/&"/' | paste -sd, -)
    sed "s|^events = .*|events = [$files]|" mpdstat.toml > "d$1.toml"
}
n=$(ls events | wc -l)
config $((n - 1)); config "$n"
timed() {  # label, args...
    /usr/bin/time -f "%U %S" -o time.txt "$B" run --force "${@:2}" > log.txt 2>&1
    printf '%-48s %6.2f s CPU  %s\n' "$1" "$(awk '{print $1 + $2}' time.txt)" \
        "$(grep -E '^Devices' log.txt | sed 's/.*events in \([0-9.]* s\).*/pass \1/')"
    grep -E '^Incremental' log.txt | sed 's/^/    /' || true
}
rm -rf work out; timed "full run, $n days" "d$n.toml"; cp -r out/tier2 full-tier2
rm -rf work out; timed "first --incremental run (fills the cache)" --incremental "d$n.toml"
timed "--incremental, nothing changed" --incremental "d$n.toml"
diff -r out/tier2 full-tier2 > /dev/null && echo "    Tier II identical to the full run"
rm -rf work out; "$B" run --force --incremental "d$((n - 1)).toml" > /dev/null 2>&1
timed "--incremental, day $n added to a $((n - 1))-day run" --incremental "d$n.toml"
diff -r out/tier2 full-tier2 > /dev/null && echo "    Tier II identical to the full run"
