#!/usr/bin/python3
"""Draw points from a calibration's confidence set, for a study's [uncertainty] points.

    scripts/confidence_set.py CALIBRATION_DIR OUT.csv [--points 20] [--seed 2050] [--level 0.95]

CALIBRATION_DIR is the output of `glocal calibrate` (its trace.csv: every evaluation of the
objective J with its parameters; its parameters.csv: the estimated keys). The confidence set is
the criterion-based one (Newey & West 1987's distance-metric statistic; Chernozhukov, Hong & Tamer
2007): every evaluated point whose J exceeds the minimum by at most the chi-square quantile with
as many degrees of freedom as estimated parameters (18.31 for ten at 95 %). J is a sum of squared
standardised misses, so J(theta) - J(theta_hat) is asymptotically chi-square where theta is the true
value. The points are those the optimiser visited, not a random sample of the set: they cover it
where the optimiser went. `--points` of them are drawn without replacement (seeded), the best point
(the estimate) first; the CSV has a header of keys and one row per point (a design CSV).
"""
import argparse
import csv
import os
import random
import sys

# The 0.95 and 0.90 quantiles of chi-square with k degrees of freedom, k = 1..15 (tables).
CHI2 = {0.95: [3.841, 5.991, 7.815, 9.488, 11.070, 12.592, 14.067, 15.507, 16.919, 18.307, 19.675, 21.026, 22.362, 23.685, 24.996],
        0.90: [2.706, 4.605, 6.251, 7.779, 9.236, 10.645, 12.017, 13.362, 14.684, 15.987, 17.275, 18.549, 19.812, 21.064, 22.307]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("calibration")
    parser.add_argument("out")
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2050)
    parser.add_argument("--level", type=float, default=0.95, choices=sorted(CHI2))
    args = parser.parse_args()
    with open(os.path.join(args.calibration, "parameters.csv")) as f:
        keys = [row["key"] for row in csv.DictReader(f)]
    with open(os.path.join(args.calibration, "trace.csv")) as f:
        trace = [row for row in csv.DictReader(line for line in f if not line.startswith("#"))]
    if not keys or not trace:
        sys.exit(f"error: {args.calibration}: no parameters or no trace")
    best = min(float(row["objective"]) for row in trace)
    bound = best + CHI2[args.level][len(keys) - 1]
    inside, seen = [], set()
    for row in sorted(trace, key=lambda r: float(r["objective"])):
        point = tuple(row[k] for k in keys)
        if float(row["objective"]) <= bound and point not in seen:
            seen.add(point)
            inside.append(point)
    if len(inside) < args.points:
        sys.exit(f"error: only {len(inside)} distinct points within J <= {bound:.3f}, asked for {args.points}")
    chosen = [inside[0]] + random.Random(args.seed).sample(inside[1:], args.points - 1)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(keys)
        writer.writerows(chosen)
    print(f"{args.out}: {args.points} of {len(inside)} distinct points with J <= {best:.3f} + {bound - best:.3f} "
          f"({len(trace)} evaluations)")


if __name__ == "__main__":
    main()
