#!/usr/bin/env bash
# End to end: a tiny synthetic country through `mpdstat run` and `mpdstat
# report`, then the page rendered by headless Chromium: no console error, one
# shape per zone on every map, a screenshot for people to look at.
# Usage: report_chromium_test.sh MPDSTAT ARTIFACT_DIR
# Exit 77 (skipped) only when Chromium is not installed.
set -euo pipefail

mpdstat=$1
artifacts=$2
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed (setup.sh installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$mpdstat" synth --preset test --out "$work/scenario" > "$work/synth.log"
"$mpdstat" run --force "$work/scenario/mpdstat.toml" > "$work/run.log"
out="$work/scenario/out"
"$mpdstat" report "$out" > "$work/report.log"
page="$out/report/index.html"
[ -s "$page" ] || fail "no $page"

# Same inputs, same bytes.
cp "$page" "$work/first.html"
"$mpdstat" report "$out" > /dev/null
cmp -s "$page" "$work/first.html" || fail "a second report of the same folder differs"

# Root (CI containers) needs --no-sandbox. Console messages go to stderr with --enable-logging.
render() {  # render URL: DOM on stdout, Chromium's log in $work/console.log
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 --virtual-time-budget=2000 \
    --dump-dom "$1" 2> "$work/console.log"
}
console_errors() {  # JavaScript errors and console.error / warn calls in the log
  grep -E 'CONSOLE|Uncaught' "$work/console.log" || true
}

# The check must be able to fail: a page with a script error has to be caught.
printf '<!DOCTYPE html><html><body><script>console.error("probe"); undefined_function();</script></body></html>' \
  > "$work/probe.html"
render "file://$work/probe.html" > /dev/null
[ -n "$(console_errors)" ] || fail "Chromium's console log does not show script errors: the console check cannot work"

render "file://$page" > "$work/dom.html"
errors=$(console_errors)
[ -z "$errors" ] || fail "console errors in the report: $errors"
grep -q '</html>' "$work/dom.html" || fail "the DOM dump is incomplete"

# Every map: as many <path data-zone> in its <svg data-map="NAME-LEVEL"> as zones in geo/zones_LEVEL.geojson.
maps=0
while IFS=' ' read -r map zones; do
  level=${map##*-}
  geo="$out/geo/zones_$level.geojson"
  [ -f "$geo" ] || fail "map $map: no $geo"
  expected=$(grep -o '"zone_id"' "$geo" | wc -l)
  [ "$zones" -eq "$expected" ] || fail "map $map has $zones zone shapes, zones_$level.geojson has $expected zones"
  maps=$((maps + 1))
done < <(awk 'BEGIN { RS = "<svg " }
              /^data-map="/ { name = substr($0, 11); name = substr(name, 1, index(name, "\"") - 1)
                              body = substr($0, 1, index($0, "</svg>"))
                              print name, gsub(/<path data-zone="/, "", body) }' "$work/dom.html")
levels=$(ls "$out"/geo/zones_*.geojson | wc -l)
[ "$maps" -ge $((levels * 8)) ] || fail "only $maps maps for $levels zone levels"
for family in residents present-day present-night day-night-ratio present-hour od-trips od-daily commuting; do
  grep -q "data-map=\"$family-" "$work/dom.html" || fail "no $family map"
done
for chart in present-population-series tourism-inbound tourism-outbound rejected-by-reason; do
  grep -q "data-chart=\"$chart\"" "$work/dom.html" || fail "no $chart chart"
done
grep -q 'data-table="sdc"' "$work/dom.html" || fail "no disclosure-control table"

mkdir -p "$artifacts"
cp "$page" "$artifacts/index.html"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$work/profile" --window-size=1400,5000 --screenshot="$artifacts/report.png" \
  "file://$page" > /dev/null 2>&1
[ -s "$artifacts/report.png" ] || fail "no screenshot"
echo "OK: $maps maps with one shape per zone, no console error; screenshot $artifacts/report.png"
