#!/usr/bin/python3
"""Figures of a calibration folder (`glocal calibrate`): FOLDER/figures/targets.png, each target's
data value (with its sd) against the model at the estimate and its 90 % predictive band, fitted and
out-of-sample targets apart; FOLDER/figures/profiles.png, the objective J along each parameter with
the others at the estimate. Reads targets.csv, parameters.csv and profiles.csv; needs Debian's
python3-matplotlib."""
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


def read(folder, name):
    with open(os.path.join(folder, name), newline="") as f:
        return list(csv.DictReader(f))


def targets_figure(folder, out):
    rows = read(folder, "targets.csv")
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.4))
    for k, row in enumerate(rows):
        data, sd = float(row["data"]), float(row["sd"])
        model, low, high = float(row["model"]), float(row["band_low"]), float(row["band_high"])
        scale = abs(data) if data != 0 else 1.0  # each target on its own scale: relative to the data
        y = len(rows) - 1 - k
        colour = "tab:blue" if row["fitted"] == "1" else "tab:orange"
        ax.plot([low / scale, high / scale], [y, y], color=colour, linewidth=6, alpha=0.35, solid_capstyle="butt")
        ax.plot(model / scale, y, "o", color=colour)
        ax.errorbar(1.0, y, xerr=sd / scale, fmt="k|", capsize=3)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['name']} ({r['when']})" for r in reversed(rows)], fontsize=8)
    ax.axvline(1.0, color="k", linewidth=0.6)
    ax.set_xlabel("relative to the data value (data = 1, bar = its sd)")
    ax.set_title("targets: model mean (dot) and 90 % band; blue fitted, orange out of sample", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "targets.png"), dpi=110)
    plt.close(fig)


def profiles_figure(folder, out):
    profiles = defaultdict(list)
    for row in read(folder, "profiles.csv"):
        profiles[row["key"]].append((float(row["value"]), float(row["objective"])))
    estimates = {row["key"]: float(row["estimate"]) for row in read(folder, "parameters.csv")}
    keys = list(profiles)
    cols = min(3, len(keys))
    rows = (len(keys) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.6 * rows), squeeze=False)
    for k, key in enumerate(keys):
        ax = axes[k // cols][k % cols]
        points = sorted(profiles[key])
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=".")
        ax.axvline(estimates[key], color="tab:red", linewidth=0.8)
        ax.set_title(key, fontsize=9)
        ax.set_ylabel("J")
        ax.grid(alpha=0.3)
    for k in range(len(keys), rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "profiles.png"), dpi=110)
    plt.close(fig)


def main(folder):
    out = os.path.join(folder, "figures")
    os.makedirs(out, exist_ok=True)
    targets_figure(folder, out)
    profiles_figure(folder, out)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as error:  # a data problem: one line, not a traceback
        sys.stderr.write(f"error: cannot draw the figures of {sys.argv[1]}: {type(error).__name__}: {error}\n")
        sys.exit(2)
