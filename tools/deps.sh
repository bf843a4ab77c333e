#!/usr/bin/env bash
# Installs what building and testing need and is missing: Debian packages (as root, with
# apt-get) and the npm packages of package.json. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# clang-14 with its runtimes (ASan, UBSan, libFuzzer: libclang-rt-14-dev, only recommended by
# clang-14) builds the sanitize preset and its fuzz target.
for pkg in cmake g++ make doctest-dev nlohmann-json3-dev emscripten zopfli chromium clang-14 libclang-rt-14-dev libfuzzer-14-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if ((${#need[@]})); then
  echo "deps: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if [ -f package.json ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
  else npm install --no-audit --no-fund --loglevel=error; fi
fi
