#!/usr/bin/env bash
# The static checks of .clang-tidy on the library and the command line (the sources in src/ and
# apps/, with the headers they include from include/ and src/).
#
#   scripts/check-tidy.sh [BUILD_DIR]   (default build; needs its compile_commands.json)
#
# Lists every finding and fails on any (make tidy; the test HouseRules.TidyIsClean, label tidy).
# Tests and benchmarks are left out: gtest's and benchmark's macros expand to code that several
# bugprone checks flag, and they double the time (about 3 minutes on 2 cores as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [[ -z $tidy ]]; then
  echo "run-clang-tidy not found: scripts/install-deps.sh installs clang-tidy" >&2
  exit 1
fi
[[ -f $build/compile_commands.json ]] || { echo "$build/compile_commands.json missing: configure $build first (make build)" >&2; exit 1; }
jobs=$(nproc)
# GCC-only flags in the compile commands that clang does not know are not findings.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if "$tidy" -p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-ignored-optimization-argument \
  "$PWD/(src|apps)/.*\.cpp$" >"$log" 2>&1; then
  echo "clang-tidy: no findings in src/ and apps/"
  exit 0
fi
grep -E "(error|warning): " "$log" | sort -u >&2 || cat "$log" >&2
exit 1
