#!/usr/bin/env bash
# Installs the Debian packages mpdstat needs (idempotent; root or sudo on Debian 12;
# clang and libclang-rt-14-dev only for the libFuzzer targets of fuzz/run.sh)
# and builds a Release build into build/, profile-guided: an instrumented
# mpdstat runs the demo job once and the compiler lays out the code by what it
# measured (docs/scale.md). Usage: ./setup.sh [--no-build] [--no-pgo]
set -euo pipefail
cd "$(dirname "$0")"
BUILD=1 PGO=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --no-pgo) PGO=0 ;;
    *) echo "setup: unknown option $arg (options: --no-build, --no-pgo)" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libfmt-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libzstd-dev zlib1g-dev libsnappy-dev libsodium-dev libssl-dev libtbb-dev
  libhowardhinnant-date-dev tzdata
  libgdal-dev gdal-bin libgeos-dev libproj-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openmpi-bin libopenmpi-dev
  chromium
  clang libclang-rt-14-dev
)
# Node.js runs DuckDB (npm @duckdb/node-api) for the interop tests and benchmarks;
# keep a Node.js that is already installed.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "$BUILD" = 0 ] && exit 0
# A unity build (CMake batches of 8 files) compiles from scratch in about half
# the time; for day-to-day edits, configure your own build without it.
configure() { cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DMPDSTAT_PGO="$1" >/dev/null; }
if [ "$PGO" = 1 ]; then
  # Profile-guided optimisation (GCC): about an eighth less CPU time on large
  # inputs. The training is the demo country (1.4 M events, a few seconds);
  # should any step fail, the build goes on without a profile.
  rm -rf build/pgo-training
  if configure generate && cmake --build build --target mpdstat &&
     find build -name '*.gcda' -delete &&
     build/mpdstat synth --preset demo --out build/pgo-training --quiet >/dev/null &&
     build/mpdstat run --force build/pgo-training/mpdstat.toml >/dev/null &&
     [ -n "$(find build -name '*.gcda' -print -quit)" ]; then
    configure use
    echo "setup: profile recorded; building build/ with it"
  else
    echo "setup: the profile-guided steps failed; building without a profile" >&2
    configure ""
  fi
  rm -rf build/pgo-training
else
  configure ""
fi
cmake --build build
echo "setup: built build/mpdstat"
