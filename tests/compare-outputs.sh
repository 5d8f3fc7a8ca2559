#!/usr/bin/env bash
# Runs every shipped scenario with two glocal executables and compares their tables byte by byte:
# the check that a refactoring changed no output (issue 16: "every shipped scenario's outputs
# byte-identical before and after").
#
#   tests/compare-outputs.sh BEFORE AFTER [SCENARIO...]
#
# BEFORE and AFTER are glocal executables (e.g. a copy of build/glocal made before the change,
# and build/glocal). Without SCENARIO arguments every scenarios/**/*.toml that `glocal run` accepts
# is run (the calibration targets file is not a scenario). Every CSV a run writes is compared
# (model, outcomes, runs, places, ...); manifest.json (time, commit, command line) and
# results.sqlite (the same tables) are not. Runs use the scenario's own seed, replicates and
# threads. Exit status 0 when every table is identical, 1 otherwise (the differing files are
# listed), 2 on bad usage.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
before=$(realpath "$1")
after=$(realpath "$2")
shift 2
cd "$(dirname "$0")/.."
if [[ $# -gt 0 ]]; then
  scenarios=("$@")
else
  mapfile -t scenarios < <(find scenarios -name '*.toml' ! -path 'scenarios/calibration/*' | sort)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for scenario in "${scenarios[@]}"; do
  name=${scenario//\//_}
  start=$SECONDS
  "$before" run "$scenario" --out "$work/before/$name" -q >"$work/before.log" 2>&1 || {
    echo "FAIL  $scenario: $before failed"; cat "$work/before.log"; status=1; continue; }
  "$after" run "$scenario" --out "$work/after/$name" -q >"$work/after.log" 2>&1 || {
    echo "FAIL  $scenario: $after failed"; cat "$work/after.log"; status=1; continue; }
  differing=()
  tables=0
  while IFS= read -r -d '' file; do
    relative=${file#"$work/before/$name/"}
    tables=$((tables + 1))
    cmp -s "$file" "$work/after/$name/$relative" || differing+=("$relative")
  done < <(find "$work/before/$name" -name '*.csv' -print0)
  # A table only the second run wrote is a difference too.
  while IFS= read -r -d '' file; do
    relative=${file#"$work/after/$name/"}
    [[ -f "$work/before/$name/$relative" ]] || differing+=("$relative (only after)")
  done < <(find "$work/after/$name" -name '*.csv' -print0)
  if [[ ${#differing[@]} -eq 0 ]]; then
    echo "same  $scenario ($tables tables, $((SECONDS - start)) s)"
  else
    echo "DIFF  $scenario: ${differing[*]}"
    status=1
  fi
  rm -rf "$work/before/$name" "$work/after/$name"
done
exit $status
