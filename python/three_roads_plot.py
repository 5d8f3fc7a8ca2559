#!/usr/bin/python3
"""Figures of a three-roads study folder: one PNG per indicator in FOLDER/figures, the mean over
runs of each regime against the year (from FOLDER/series.csv). Called by `glocal study three-roads`;
needs Debian's python3-matplotlib."""
import csv
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


def main(folder):
    series = defaultdict(lambda: defaultdict(list))
    with open(os.path.join(folder, "series.csv")) as f:
        for row in csv.DictReader(f):
            series[row["metric"]][row["regime"]].append((float(row["year"]), float(row["mean"])))
    out = os.path.join(folder, "figures")
    os.makedirs(out, exist_ok=True)
    for metric, regimes in series.items():
        fig, ax = plt.subplots(figsize=(6, 3.6))
        for regime, points in regimes.items():
            points.sort()
            ax.plot([p[0] for p in points], [p[1] for p in points], label=regime, marker=".")
        ax.set_xlabel("year")
        ax.set_ylabel(metric)
        ax.set_title(metric)
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(out, f"{metric}.png"), dpi=110)
        plt.close(fig)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as error:  # a data problem: one line, not a traceback
        sys.stderr.write(f"error: cannot draw the figures of {sys.argv[1]}: {type(error).__name__}: {error}\n")
        sys.exit(2)
