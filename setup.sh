#!/usr/bin/env bash
# Installs the Debian packages mpdstat needs (idempotent; root or sudo on Debian 12;
# clang and libclang-rt-14-dev only for the libFuzzer targets of fuzz/run.sh)
# and builds a Release build into build/. Usage: ./setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")"

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

[ "${1:-}" = "--no-build" ] && exit 0
# A unity build (CMake batches of 8 files) compiles from scratch in about half
# the time; for day-to-day edits, configure your own build without it.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build
echo "setup: built build/mpdstat"
