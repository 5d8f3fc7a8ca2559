#!/usr/bin/python3
"""Figures of a study folder: one PNG per indicator in FOLDER/figures, each scenario's mean over
runs against the year with its 95 % confidence interval as a band (FOLDER/series.csv; units from
the scenarios' manifest.json). Called by `glocal study`; needs Debian's python3-matplotlib."""
import csv
import glob
import json
import os
import sys
from collections import defaultdict

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: E402
except ImportError as missing:  # the one case where the set-up is to blame
    sys.stderr.write(f"error: {missing}: install python3-matplotlib (`make deps`)\n")
    sys.exit(3)


def declarations(folder):
    """Metric name -> its manifest.json entry (unit, flow), from the scenarios' results folders."""
    found = {}
    for manifest in sorted(glob.glob(os.path.join(folder, "*", "manifest.json"))):
        try:
            with open(manifest) as handle:
                for m in json.load(handle).get("metrics", []):
                    found.setdefault(m["name"], m)
        except (OSError, ValueError, KeyError):
            continue
    return found


def main(folder):
    series = defaultdict(lambda: defaultdict(list))
    with open(os.path.join(folder, "series.csv")) as f:
        for row in csv.DictReader(f):
            point = [float(row[k]) for k in ("year", "mean", "ci_low", "ci_high")]
            series[row["metric"]][row["regime"]].append(point)
    metrics = declarations(folder)
    out = os.path.join(folder, "figures")
    os.makedirs(out, exist_ok=True)
    for metric, regimes in series.items():
        fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
        flow = metrics.get(metric, {}).get("flow", False)
        for colour, (regime, points) in enumerate(regimes.items()):
            points.sort()
            if flow:  # measured over the last tick: nothing at the first record
                points = points[1:]
            years = [p[0] for p in points]
            ax.plot(years, [p[1] for p in points], label=regime, marker=".", color=f"C{colour % 10}")
            ax.fill_between(years, [p[2] for p in points], [p[3] for p in points], color=f"C{colour % 10}", alpha=0.2, lw=0)
        ax.set_xlabel("year")
        ax.set_ylabel(metrics.get(metric, {}).get("unit", "") or metric)
        ax.set_title(f"{metric} (band: 95 % confidence interval of the mean)", fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.savefig(os.path.join(out, f"{metric}.png"), dpi=110)
        plt.close(fig)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as error:  # a data problem: one line, not a traceback
        sys.stderr.write(f"error: cannot draw the figures of {sys.argv[1]}: {type(error).__name__}: {error}\n")
        sys.exit(2)
