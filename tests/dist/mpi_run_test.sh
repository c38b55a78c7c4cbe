#!/usr/bin/env bash
# End to end: `mpirun -np 3 mpdstat run` on a `synth --preset test` scenario
# gives the same Tier II files, byte for byte, and the same output hashes in
# the manifest as a plain single-process run (docs/scale.md).
# Usage: mpi_run_test.sh MPDSTAT ARTIFACT_DIR MPIRUN HAVE_MPI
# Exit 77 (skipped) when mpdstat was built without MPI or mpirun is missing.
set -euo pipefail

mpdstat=$1
artifacts=$2
mpirun=${3:-}
have_mpi=${4:-0}
if [ "$have_mpi" != 1 ] || [ -z "$mpirun" ] || [ ! -x "$mpirun" ]; then
  echo "SKIP: mpdstat built without MPI or mpirun not found (setup.sh installs OpenMPI)"
  exit 77
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Fail fast instead of waiting on a network interface that is not there.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

rm -rf "$artifacts"
mkdir -p "$artifacts"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$mpdstat" synth --preset test --out "$artifacts/single" > "$artifacts/synth.log"
cp -r "$artifacts/single" "$artifacts/mpi"
"$mpdstat" run --force "$artifacts/single/mpdstat.toml" > "$artifacts/single.log"
# Open MPI's own plugins leak at exit (unloaded modules, not ours): under
# the sanitizer build, leak checking stays on for the single-process run only.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
"$mpirun" --allow-run-as-root --oversubscribe -np 3 "$mpdstat" run --force "$artifacts/mpi/mpdstat.toml" \
  > "$artifacts/mpi.log" 2>&1 || { cat "$artifacts/mpi.log" >&2; fail "mpirun -np 3 mpdstat run failed"; }

a="$artifacts/single/out"
b="$artifacts/mpi/out"
grep -q '"ranks": 3' "$b/manifest.json" || fail "the manifest does not record 3 ranks: did mpirun start one job?"
n=$(ls "$a/tier2" | wc -l)
[ "$n" -gt 5 ] || fail "only $n Tier II files in $a/tier2"
diff -r "$a/tier2" "$b/tier2" > "$artifacts/tier2.diff" || { head -20 "$artifacts/tier2.diff" >&2; fail "Tier II files differ"; }
cmp -s "$a/qa/ingest.json" "$b/qa/ingest.json" || fail "qa/ingest.json differs"
# sdc.json names its files with their absolute paths.
cmp -s <(sed "s#$artifacts/single/##" "$a/qa/sdc.json") <(sed "s#$artifacts/mpi/##" "$b/qa/sdc.json") || fail "qa/sdc.json differs"
# The manifest's content hashes of outputs and inputs are the same (but for
# the QA files, which hold absolute paths and timings).
hashes() { awk '/"path":/ {p=$0} /"sha256":/ && p !~ /"qa\// {print $NF}' "$1" | sort; }
[ "$(hashes "$a/manifest.json")" = "$(hashes "$b/manifest.json")" ] || fail "the manifest's content hashes differ"
[ "$(hashes "$a/manifest.json" | wc -l)" -gt 0 ] || fail "no content hashes in the manifest"
# The event stores hold the same events (partition files are deterministic).
(cd "$artifacts/single/work/store" && find . -name '*.mpds' -exec sha256sum {} + | sed 's#/v[0-9]*/#/#' | sort) > "$artifacts/store-a.txt"
(cd "$artifacts/mpi/work/store" && find . -name '*.mpds' -exec sha256sum {} + | sed 's#/v[0-9]*/#/#' | sort) > "$artifacts/store-b.txt"
cmp -s "$artifacts/store-a.txt" "$artifacts/store-b.txt" || fail "the event stores differ"
echo "PASS: $n Tier II files identical with 3 MPI ranks"
