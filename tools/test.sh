#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): installs what is missing, builds, then runs
# every suite through CTest's presets (CMakePresets.json) — the native doctest tests (label
# native), the same tests under ASan+UBSan (preset sanitize), the JS tests of the built WASM
# module (label js), the browser tests of the page (label browser) and a 60-second run of the
# formula fuzzer (tests/fuzz/run.sh). Each suite counts once in
# the closing line; exits non-zero if anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/deps.sh || exit 1
bash tools/build.sh || { echo "build failed"; exit 1; }
echo "=== deps and build: $SECONDS s"

passed=0; failed=0; failures=()
run() {  # run NAME COMMAND...
  local name=$1; shift
  echo; echo "=== $name"
  local t0=$SECONDS
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
  echo "=== $name: $((SECONDS - t0)) s (at $SECONDS s)"
}
sanitize_configure() {
  # The preset's compiler is clang-14 (for libFuzzer); a build/sanitize configured before with
  # another compiler cannot be reconfigured in place, so it is started afresh.
  if [[ -f build/sanitize/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14' build/sanitize/CMakeCache.txt; then
    rm -rf build/sanitize
  fi
  cmake --preset sanitize >/dev/null
}
export -f sanitize_configure

run "native tests" ctest --preset release -L native -j"$(nproc)"
# One suite at a time. The sanitized build once compiled at nice 19 behind the JS and browser
# suites; on two cores that gained nothing (12m36 either way: the compile's 100 s moved into the
# browser suite, which uses both cores — renderer, compositor, WebAssembly tier-up, Node), so each
# suite now has the machine to itself, and the fuzzer's per-input wall-time limit means what it says.
run "native tests under ASan+UBSan" bash -c 'sanitize_configure && cmake --build --preset sanitize -j"$(nproc)" && ctest --preset sanitize -j"$(nproc)"'
run "JS tests (WASM module in Node)" ctest --preset release -L js -V
run "browser tests (headless Chromium)" ctest --preset release -L browser -V
run "formula fuzzing (libFuzzer, 60 s)" bash tests/fuzz/run.sh build/sanitize/tests/fuzz/lab_formula_fuzz 60

echo
if ((failed)); then printf -v list '%s; ' "${failures[@]}"; echo "failed suites: ${list%; }"; fi
echo "suites: $passed passed, $failed failed"
((failed == 0))
