#!/usr/bin/env bash
# MPI scaling (issue 15): a batch of 64 short runs (a 40x40 lattice, 3,000 ticks, about 0.05 s
# each) by one process on one thread without mpirun, then under mpirun by 1 rank and by K ranks
# (default 2) of one thread each. Prints the wall times, the speed-up of K ranks over 1 rank
# (both paying mpirun's start) and whether the folders hold the same bytes.
# Usage: bench/mpi_scaling.sh [build/glocal] [ranks]
set -euo pipefail
glocal=${1:-build/glocal}
ranks=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/batch.toml" <<'TOML'
[scenario]
name = "mpi-scaling"
[run]
ticks = 3000
replicates = 64
record_every = 500
[world.lattice]
side = 40
[culture]
TOML
as_root=()
[ "$(id -u)" -eq 0 ] && as_root=(--allow-run-as-root)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
plain=$(seconds "$glocal" run "$work/batch.toml" -q -j 1 --out "$work/plain")
one=$(seconds mpirun --oversubscribe "${as_root[@]}" -n 1 "$glocal" run "$work/batch.toml" -q -j 1 --out "$work/one")
many=$(seconds mpirun --oversubscribe "${as_root[@]}" -n "$ranks" "$glocal" run "$work/batch.toml" -q -j 1 --out "$work/many")
same=yes
for f in runs.csv model.csv outcomes.csv results.sqlite; do
  cmp -s "$work/plain/$f" "$work/one/$f" || same=no
  cmp -s "$work/plain/$f" "$work/many/$f" || same=no
done
printf 'without mpirun: %.2f s\nmpirun, 1 rank: %.2f s\nmpirun, %d ranks: %.2f s\nspeed-up of %d ranks over 1: %.2fx\nbyte-identical: %s\n' \
  "$plain" "$one" "$ranks" "$many" "$ranks" "$(awk -v a="$one" -v b="$many" 'BEGIN { print a / b }')" "$same"
