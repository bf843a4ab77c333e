#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds, and serves the page at
# http://127.0.0.1:8000/ (PORT=... to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
bash tools/build.sh
exec node tools/serve.mjs dist
