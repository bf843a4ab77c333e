#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): installs what is missing, builds, then runs
# every test — native doctest tests (plain and under ASan+UBSan), the JS tests of the built WASM
# module, and the browser tests of the page. Exits non-zero if anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs

bash tools/deps.sh || exit 1
bash tools/build.sh || { echo "build failed"; exit 1; }

passed=0; failed=0; failures=()
run() {  # run NAME COMMAND...
  local name=$1; shift
  echo; echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

run "native tests" ctest --test-dir build/release --output-on-failure -V
sanitized() {
  cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DLAB_SANITIZE=ON >/dev/null &&
    cmake --build build/sanitize -j"$(nproc)" --target lab_tests &&
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build/sanitize --output-on-failure -V
}
run "native tests under ASan+UBSan" sanitized
run "JS tests (WASM module in Node)" node --test tests/js/
if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
  run "browser tests (headless Chromium)" node --test --test-concurrency=1 tests/browser/
fi

echo
((failed)) && echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
((failed == 0))
