#!/usr/bin/python3
"""Figures for a glocal results folder: `glocal plot DIR` runs this with Debian's matplotlib.

Writes DIR/plots/timeseries.png (each metric against tick: mean over replicates with the
10-90 % band, one line per parameter point of a sweep) and DIR/plots/outcomes.png (the
distribution of each final metric over runs: a histogram, or one box per point of a sweep). When
the scenario runs several processes, one pair per process: timeseries-<process>.png and
outcomes-<process>.png (the metric-to-process map is in manifest.json).
A run that stopped early (absorbed) keeps its final value afterwards: its state is frozen.
Axes carry the metrics' units (manifest.json); a metric measured over the last tick (a flow:
births, harvest) is drawn from the first tick on, since tick 0 comes before any tick; metrics
without values or with one value throughout get no panel, and a note on the figure says which.
"""
import textwrap
import csv
import json
import math
import os
import sys
import warnings

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: E402
except ImportError as missing:  # the one case where the set-up is to blame
    sys.stderr.write(f"error: {missing}: install python3-matplotlib (`make deps`)\n")
    sys.exit(3)
import numpy as np  # noqa: E402


# A metric that is missing in every run at some tick (e.g. global_share without media) is an
# all-NaN slice: it is drawn as a gap, which is what it is, so numpy's warning about it is noise.
warnings.filterwarnings("ignore", category=RuntimeWarning)


def read_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows


def to_float(text):
    return float(text) if text not in ("", None) else math.nan


def metric_names(header, skip):
    return [name for name in header if name not in skip]


def grid(count):
    cols = min(3, count)
    rows = int(math.ceil(count / cols))
    return rows, cols


def point_labels(folder):
    """Labels of the sweep's points ("side=5, traits=10"), in point order, from runs.csv."""
    try:
        with open(os.path.join(folder, "manifest.json")) as handle:
            keys = [axis["key"] for axis in json.load(handle).get("sweep", [])]
    except (OSError, ValueError):
        keys = []
    labels = {}
    for row in read_csv(os.path.join(folder, "runs.csv")):
        point = int(row.get("point", 0))
        labels[point] = ", ".join(f"{k.rsplit('.', 1)[-1]}={row[k]}" for k in keys) or "all runs"
    return [labels[p] for p in sorted(labels)]


def metric_declarations(folder):
    """Metric name -> its manifest.json entry (process, unit, flow); empty for folders written
    before these were recorded."""
    try:
        with open(os.path.join(folder, "manifest.json")) as handle:
            return {m["name"]: m for m in json.load(handle).get("metrics", [])}
    except (OSError, ValueError, KeyError):
        return {}


def metric_processes(folder):
    """Metric name -> process, from manifest.json (empty for folders written before it was recorded)."""
    return {name: m["process"] for name, m in metric_declarations(folder).items() if "process" in m}


def undrawn(values):
    """Why a metric's values make no panel ("no values", "constant 0"), or None to draw it."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "no values"
    if np.all(finite == finite[0]):
        return f"constant {finite[0]:.4g}"
    return None


def figure(panels, title, note):
    """A grid for `panels` panels (and the note, in a panel of its own when there is one), the
    title above it without overlapping the panels' titles."""
    count = max(panels + (1 if note else 0), 1)
    rows, cols = grid(count)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.4), squeeze=False, layout="constrained")
    fig.suptitle(title, fontsize=12)
    cells = [axes[k // cols][k % cols] for k in range(rows * cols)]
    for ax in cells[panels:]:
        ax.axis("off")
    if note:
        cells[panels].text(0, 1, textwrap.fill(note, 48), va="top", ha="left", fontsize=8, transform=cells[panels].transAxes)
    return fig, cells[:panels]


def not_drawn_note(skipped):
    return "Not drawn: " + "; ".join(f"{name} ({why})" for name, why in skipped) + "." if skipped else ""


def plot_timeseries(model_rows, title, path, labels, declarations, only=None):
    metrics = metric_names(model_rows[0].keys(), {"run_id", "point", "tick", "year"})
    if only is not None:
        metrics = [m for m in metrics if m in only]
    # With a calendar (run.start_year) the x axis is the year: year = start_year + tick.
    offset = int(model_rows[0]["year"]) - int(model_rows[0]["tick"]) if "year" in model_rows[0] else None
    points = sorted({int(row.get("point", 0)) for row in model_rows})
    all_ticks = np.array(sorted({int(row["tick"]) for row in model_rows}))
    run_count = len({row["run_id"] for row in model_rows})
    runs_of = {}
    for row in model_rows:
        runs_of.setdefault(int(row.get("point", 0)), {}).setdefault(row["run_id"], []).append(row)

    def values_of(metric, point, ticks):
        runs = runs_of.get(point, {})
        values = np.full((len(runs), len(ticks)), np.nan)
        for r, series in enumerate(runs.values()):
            run_ticks = np.array([int(row["tick"]) for row in series])
            run_values = np.array([to_float(row[metric]) for row in series])
            # Hold the last recorded value forward (step interpolation).
            index = np.searchsorted(run_ticks, ticks, side="right") - 1
            values[r] = np.where(index >= 0, run_values[np.clip(index, 0, None)], np.nan)
        return values

    drawn, skipped = [], []
    for metric in metrics:
        flow = declarations.get(metric, {}).get("flow", False)
        ticks = all_ticks[all_ticks > 0] if flow and all_ticks.size > 1 else all_ticks
        series = [values_of(metric, point, ticks) for point in points]
        why = undrawn(np.concatenate([v.ravel() for v in series]))
        if why:
            skipped.append((metric, why))
        else:
            drawn.append((metric, ticks, series))
    fig, axes = figure(len(drawn), f"{title}: {run_count} runs", not_drawn_note(skipped))
    for ax, (metric, ticks, series) in zip(axes, drawn):
        x = ticks + offset if offset is not None else ticks
        for colour, (point, values) in enumerate(zip(points, series)):
            label = labels[point] if len(points) > 1 else "mean"
            ax.plot(x, np.nanmean(values, axis=0), color=f"C{colour % 10}", lw=1.5, label=label)
            if values.shape[0] > 1:
                low, high = np.nanpercentile(values, [10, 90], axis=0)
                band = "10-90 % of runs" if len(points) == 1 else None
                ax.fill_between(x, low, high, color=f"C{colour % 10}", alpha=0.2, lw=0, label=band)
        ax.set_title(metric, fontsize=10)
        ax.set_xlabel("year" if offset is not None else "tick")
        ax.set_ylabel(declarations.get(metric, {}).get("unit", ""), fontsize=8)
        ax.grid(alpha=0.3)
        if offset is None and ticks.size > 1 and ticks[-1] > 1000 * max(ticks[1], 1):
            ax.set_xscale("symlog", linthresh=max(ticks[1], 1))
    if axes:
        axes[0].legend(fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return skipped


def plot_outcomes(outcome_rows, title, path, labels, declarations, only=None):
    ok = [row for row in outcome_rows if row["status"] == "ok"]
    points = sorted({int(row.get("point", 0)) for row in ok})
    metrics = metric_names(outcome_rows[0].keys(), {"run_id", "point", "replicate", "status", "stop_reason", "ticks", "error"})
    if only is not None:
        metrics = [m for m in metrics if m in only]
    metrics = ["ticks"] + metrics
    drawn, skipped = [], []
    for metric in metrics:
        why = undrawn(np.array([to_float(row[metric]) for row in ok]))
        if why and len(points) <= 1:
            skipped.append((metric, why))
        else:
            drawn.append(metric)
    fig, axes = figure(len(drawn), f"{title}: final state of {len(ok)} runs", not_drawn_note(skipped))
    for ax, metric in zip(axes, drawn):
        unit = "ticks" if metric == "ticks" else declarations.get(metric, {}).get("unit", "")
        if len(points) > 1:
            groups = [[to_float(row[metric]) for row in ok if int(row["point"]) == p] for p in points]
            ax.boxplot(groups, showmeans=True)
            ax.set_xticks(range(1, len(points) + 1))
            ax.set_xticklabels([labels[p] for p in points], rotation=30, ha="right", fontsize=7)
            ax.set_ylabel(unit, fontsize=8)
            ax.set_title(metric, fontsize=10)
            ax.grid(alpha=0.3)
            continue
        values = np.array([to_float(row[metric]) for row in ok])
        values = values[~np.isnan(values)]
        integral = np.all(values == np.round(values)) and values.max() - values.min() <= 60
        if integral:
            bins = np.arange(values.min() - 0.5, values.max() + 1.5, 1.0)
        else:
            bins = min(40, max(5, int(np.sqrt(values.size))))
        ax.hist(values, bins=bins, color="C1", alpha=0.85)
        ax.axvline(values.mean(), color="k", lw=1, ls="--")
        ax.set_title(f"{metric}  (mean {values.mean():.4g})", fontsize=10)
        ax.set_xlabel(unit, fontsize=8)
        ax.set_ylabel("runs")
        ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    if len(sys.argv) != 2:
        print("usage: glocal_plot.py RESULTS_DIR", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    model_rows = read_csv(os.path.join(folder, "model.csv"))
    outcome_rows = read_csv(os.path.join(folder, "outcomes.csv"))
    title = os.path.basename(os.path.normpath(folder))
    plots = os.path.join(folder, "plots")
    os.makedirs(plots, exist_ok=True)
    written = []
    labels = point_labels(folder)
    declarations = metric_declarations(folder)
    owners = metric_processes(folder)
    processes = list(dict.fromkeys(owners.values()))
    groups = [(None, "")] if len(processes) <= 1 else [({m for m, p in owners.items() if p == process}, f"-{process}") for process in processes]
    for only, suffix in groups:
        name = title + (f" ({suffix[1:]})" if suffix else "")
        if model_rows:
            skipped = plot_timeseries(model_rows, name, os.path.join(plots, f"timeseries{suffix}.png"), labels, declarations, only)
            written.append(f"timeseries{suffix}.png")
            if skipped:
                print(f"timeseries{suffix}.png: {not_drawn_note(skipped)}")
        if outcome_rows:
            plot_outcomes(outcome_rows, name, os.path.join(plots, f"outcomes{suffix}.png"), labels, declarations, only)
            written.append(f"outcomes{suffix}.png")
    print(f"plots: {plots}/ ({', '.join(written)})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # a data problem: one line, not a traceback
        sys.stderr.write(f"error: cannot draw the figures of {sys.argv[1]}: {type(error).__name__}: {error}\n")
        sys.exit(2)
