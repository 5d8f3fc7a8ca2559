#!/usr/bin/env bash
# Paired benchmark runs of two glocal_bench binaries (before and after a change), alternating, so
# that both see the same drift of a shared machine; prints each benchmark's items per second in
# millions for every round and the median of the after/before ratios of the pairs.
#
#   bench/pair.sh ROUNDS FILTER BEFORE AFTER
#
# e.g. bench/pair.sh 6 'CultureEvents/L:(50|1000)/tiles:0' /tmp/before/glocal_bench build/bench/glocal_bench
set -euo pipefail
if [[ $# -ne 4 ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
rounds=$1 filter=$2 before=$3 after=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq "$rounds"); do
  for side in before after; do
    bin=$before
    [[ $side == after ]] && bin=$after
    "$bin" --benchmark_filter="$filter" --benchmark_format=json 2> "$out/err" > "$out/$side-$round.json"
    if [[ ! -s "$out/$side-$round.json" ]]; then
      echo "bench/pair.sh: $bin ran no benchmark for '$filter':" >&2
      cat "$out/err" >&2
      exit 1
    fi
  done
done
/usr/bin/python3 - "$out" "$rounds" << 'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def speeds(side, r):
    d = json.load(open(f"{out}/{side}-{r}.json"))
    return {b["name"].split("/min_time")[0]: b["items_per_second"] for b in d["benchmarks"] if "items_per_second" in b}
runs = {s: [speeds(s, r) for r in range(1, rounds + 1)] for s in ("before", "after")}
for name in runs["before"][0]:
    b = [x[name] for x in runs["before"]]
    a = [x[name] for x in runs["after"]]
    ratio = statistics.median(y / x for x, y in zip(b, a))
    print(f"{name}\n  before {', '.join(f'{v / 1e6:.1f}' for v in b)}\n  after  {', '.join(f'{v / 1e6:.1f}' for v in a)}\n  after/before, median of {rounds} pairs: {ratio:.3f}")
PY
