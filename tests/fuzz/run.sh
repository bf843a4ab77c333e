#!/usr/bin/env bash
# Design note: one bounded run of the formula fuzzer (tools/test.sh's "formula fuzzing" suite, and
# by hand for longer runs). libFuzzer writes new inputs into its corpus directory and crash files
# next to its working directory, so it works on a copy of the committed seeds in a temporary
# directory: the tree is never written, and a finding is printed here — libFuzzer's report and the
# input as a C string, ready for a note or a test — before the copy goes. Fails on any finding
# (crash, sanitizer report, leak, timeout, out-of-memory); the limits are those the formula
# language promises to stay far below (formula.hpp: 500 characters, no hang, no huge memory).
#   usage: tests/fuzz/run.sh FUZZER SECONDS [libFuzzer options...]
#   e.g.   tests/fuzz/run.sh build/sanitize/tests/fuzz/lab_formula_fuzz 60
#          KEEP=/tmp/corpus tests/fuzz/run.sh ... 1800   (keeps the grown corpus there)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fuzzer=${1:?usage: run.sh FUZZER SECONDS [options]}
seconds=${2:?usage: run.sh FUZZER SECONDS [options]}
shift 2
[ -x "$fuzzer" ] || { echo "fuzz: no fuzzer at $fuzzer (built by the sanitize preset)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lab-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/found"
cp "$here"/corpus/formula/* "$work/corpus/"

# The input as a C string literal: printable ASCII as itself, the rest as \xNN (then "" so a hex
# digit after it is not read as part of the escape).
c_string() {
  od -An -v -tu1 "$1" | tr -s ' \n' '\n\n' | awk 'NF {
    b = $1 + 0
    if (b == 34) s = s "\\\""; else if (b == 92) s = s "\\\\";
    else if (b >= 32 && b < 127) s = s sprintf("%c", b);
    else s = s sprintf("\\x%02x\"\"", b)
  } END { print "\"" s "\"" }'
}

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  "$fuzzer" "$work/corpus" -dict="$here/formula.dict" -max_total_time="$seconds" -timeout=5 \
  -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=600 -print_final_stats=1 \
  -artifact_prefix="$work/found/" "$@" >"$work/log" 2>&1
rc=$?

stats=$(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$work/log" | tail -1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
echo "fuzz: ${runs:-?} inputs in ${seconds} s (${rate:-?} exec/s); ${stats:-no final line}"
[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work"/corpus/* "$KEEP"/ && echo "fuzz: corpus kept in $KEEP"

found=("$work"/found/*)
if ((rc != 0)) || [ -e "${found[0]}" ]; then
  echo "fuzz: FINDING (exit $rc) — what broke, then libFuzzer's report:"
  grep -a -E '^\*\*\* formula fuzz finding|^==[0-9]+==ERROR|^SUMMARY|runtime error' "$work/log" | head -5
  grep -a -v -E '^#[0-9]+[[:space:]]' "$work/log" | tail -50
  for f in "${found[@]}"; do
    [ -e "$f" ] || continue
    echo "fuzz: input $(basename "$f") ($(wc -c <"$f") bytes): $(c_string "$f")"
  done
  exit 1
fi
