#!/usr/bin/python3
"""Write and calibrate scenarios/world/history-1960-2000.toml (issue: the economy's history run).

    scripts/history.py write      [--params FILE]   write the scenario from the parameters
    scripts/history.py calibrate  [--evaluations N] fit the free parameters, write the scenario
                                                    and docs/model/history-calibration.md
    scripts/history.py evaluate                     run the shipped scenario, print the targets

The world: 31 synthetic nations in 5 blocs whose populations are rounded shares of the 1960-75
world (UN) and whose productivities follow rounded 1960 incomes per head (Maddison 2001, 1990
international dollars), raised to an exponent `spread`: PPP incomes understate the exchange-rate
gaps the UNDP reports used, and `spread` is fitted. Openness (the trade kernel's world weight and
firms' openness and mobility) rises along schedules from 1960 to 2000.

Set from the literature (not fitted): population shares, the ordering and relative 1960 income
of nations, frontier growth 2 % a year (Maddison), national redistribution chi = 0.036 (Li,
Boghosian & Li 2019, US), return on wealth 5 % a year, saving 10 % of income, an underemployed
worker's income 30 % of a job's, no catch-up (unconditional convergence is not observed
1960-2000), firm openness 0.1 -> 0.8 and mobility 0.05 -> 0.3; governance with capital competition
(imitation, revision 0.1 a year) and a structural adjustment of the South in 1982 (the debt crisis:
redistribution and regulation halved); the global commons with a Montreal-type agreement in 1987
(abatement turns cheap, gamma 10 -> 0.01: the self-enforcing coalition grows from 2 to 24 of the 31 nations).
Fitted (Nelder-Mead on the squared log errors of the targets): `spread`, zeta (wealth-attained
advantage), the world weight of the trade kernel in 2000 (from 0.02 in 1960), local_jobs, the
firms' absorption exponent beta and their size (firm_jobs).

Targets: country_ratio 30 (1960), 60 (1990), 74 (1997) (UNDP Human Development Reports 1992,
1999); underemployment 1/3 in the 1990s (ILO); world individual income Gini 0.63-0.66 around 1990
(Milanovic 2002; target 0.645). A record at year Y holds the income earned in year Y - 1, so the
target for year X is read at record X + 1.

Only the standard library and the glocal binary (build/glocal, or $GLOCAL) are used.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "world", "history-1960-2000.toml")
PARAMS = os.path.join(ROOT, "scenarios", "world", "history-1960-2000.params.json")
REPORT = os.path.join(ROOT, "docs", "model", "history-calibration.md")
GLOCAL = os.environ.get("GLOCAL", os.path.join(ROOT, "build", "glocal"))
AGENTS = 20000  # world population in agents

# name, bloc, group, share of world population (%), income per head 1960 (1990 international $, rounded)
NATIONS = [
    ("United States", "West", "north", 5.3, 11300), ("Canada", "West", "north", 0.6, 8750),
    ("United Kingdom", "West", "north", 1.3, 8650), ("France", "West", "north", 1.2, 7550),
    ("Germany", "West", "north", 1.7, 7700), ("Italy", "West", "north", 1.2, 5900),
    ("Benelux", "West", "north", 0.5, 8000), ("Nordic countries", "West", "north", 0.5, 8500),
    ("Australia and New Zealand", "West", "north", 0.4, 8950), ("Japan", "West", "north", 2.6, 3990),
    ("Soviet Union", "East", "north", 6.0, 3950), ("Eastern Europe", "East", "north", 2.5, 3070),
    ("China", "Asia", "south", 22.0, 660), ("India", "Asia", "south", 15.0, 750),
    ("Indonesia", "Asia", "south", 3.3, 1000), ("Pakistan", "Asia", "south", 2.0, 750),
    ("Bangladesh", "Asia", "south", 2.0, 550), ("Vietnam", "Asia", "south", 1.3, 800),
    ("Philippines", "Asia", "south", 1.1, 1480), ("Thailand", "Asia", "south", 1.0, 1080),
    ("Rest of Asia", "Asia", "south", 4.5, 900), ("Brazil", "Americas", "south", 2.8, 2300),
    ("Mexico", "Americas", "south", 1.6, 3150), ("Rest of Latin America", "Americas", "south", 4.0, 2500),
    ("Egypt", "Africa and Middle East", "south", 1.0, 1000), ("Turkey", "Africa and Middle East", "south", 1.0, 2250),
    ("Iran", "Africa and Middle East", "south", 1.0, 2000), ("Middle East", "Africa and Middle East", "south", 2.0, 2500),
    ("Nigeria", "Africa and Middle East", "south", 2.0, 850), ("Ethiopia", "Africa and Middle East", "south", 1.0, 350),
    ("Rest of Africa", "Africa and Middle East", "south", 6.0, 800),
]

FITTED = ["spread", "zeta", "world_trade_2000", "local_jobs", "absorption", "firm_jobs"]
START = {"spread": 1.4, "zeta": 0.03, "world_trade_2000": 0.2, "local_jobs": 0.6, "absorption": 0.3, "firm_jobs": 0.02}
BOUNDS = {"spread": (0.5, 3.0), "zeta": (0.0, 0.2), "world_trade_2000": (0.02, 0.9), "local_jobs": (0.2, 0.95),
          "absorption": (0.0, 1.0), "firm_jobs": (0.0, 0.2)}
TARGETS = [("country_ratio", 1960, 30.0), ("country_ratio", 1990, 60.0), ("country_ratio", 1997, 74.0),
           ("underemployment", "1990s", 1.0 / 3.0), ("gini", 1990, 0.645)]


def scenario_text(p):
    frontier = max(income for *_, income in NATIONS)
    total_share = sum(share for _, _, _, share, _ in NATIONS)
    lines = [
        "# A synthetic world from 1960 to 2000 (generated by scripts/history.py; do not edit by hand:",
        "# change the script and run `scripts/history.py calibrate` or `write`). See",
        "# docs/model/history-calibration.md for the targets, what was fitted and how far it misses.",
        "# Fitted: " + ", ".join(f"{k} = {p[k]:.6g}" for k in FITTED),
        "[scenario]",
        'name = "history-1960-2000"',
        'description = "31 nations, North and South, 1960-2000: openness rises, firms move, wealth flows North (calibrated to UNDP, ILO, Milanovic)."',
        "",
        "[run]",
        "seed = 1960",
        "replicates = 4",
        'stop = "ticks"',
        "ticks = 40",
        "record_every = 1",
        'record_places = "nation"',
        "start_year = 1960",
        "",
        "[world.network]",
        'kind = "ring"',
        "degree = 2",
        "",
    ]
    for name, bloc, group, share, income in NATIONS:
        agents = max(20, round(AGENTS * share / total_share))
        localities = max(1, round(agents / 1000))
        per_locality = max(20, round(agents / localities))
        productivity = (income / frontier) ** p["spread"]
        lines += ["[[world.nation]]", f'name = "{name}"', f'bloc = "{bloc}"', f'group = "{group}"',
                  f"localities = {localities}", f"population = {per_locality}", f"productivity = {productivity:.6g}", ""]
    lines += [
        "[economy]",
        'exchange = "awm"',
        f"zeta = {p['zeta']:.6g}",
        "chi = 0.036",
        "dt = 0.1",
        "rate = 10",
        "initial_wealth = 3.0",
        "reach.network = 0.0",
        "production = true",
        'measure = "income"',
        "growth = 0.02",
        "catch_up = 0.0",
        f"local_jobs = {p['local_jobs']:.6g}",
        "underemployed_income = 0.3",
        "save = 0.1",
        "capital_return = 0.05",
        "firms = 60",
        f"firm_jobs = {p['firm_jobs']:.6g}",
        "firm_productivity = 1.5",
        f"absorption = {p['absorption']:.6g}",
        "",
        "[governance]",
        "spread = 0.3",
        "revision = 0.1",
        "adjustment_cut = 0.5",
        "",
        "[ecology]",
        "commons = true",
        "",
        "[[schedule]]",
        'key = "governance.adjustment"',
        'mode = "step"',
        "points = [[1960, 0.0], [1982, 1.0]]",
        "",
        "[[schedule]]",
        'key = "ecology.commons_gamma"',
        'mode = "step"',
        "points = [[1960, 10.0], [1987, 0.01]]",
        "",
        "[[schedule]]",
        'key = "economy.reach.world"',
        f"points = [[1960, 0.02], [2000, {p['world_trade_2000']:.6g}]]",
        "",
        "[[schedule]]",
        'key = "economy.reach.nation"',
        f"points = [[1960, 0.98], [2000, {1.0 - p['world_trade_2000']:.6g}]]",
        "",
        "[[schedule]]",
        'key = "economy.openness"',
        "points = [[1960, 0.1], [2000, 0.8]]",
        "",
        "[[schedule]]",
        'key = "economy.mobility"',
        "points = [[1960, 0.05], [2000, 0.3]]",
        "",
    ]
    return "\n".join(lines)


def run(p, replicates=4):
    """Runs the scenario with parameters p; returns {metric: {year: mean over runs}}."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "history.toml")
        with open(path, "w") as f:
            f.write(scenario_text(p))
        out = os.path.join(tmp, "out")
        subprocess.run([GLOCAL, "run", path, "--out", out, "--quiet", "--replicates", str(replicates)],
                       check=True, stdout=subprocess.DEVNULL)
        sums = {}
        counts = {}
        with open(os.path.join(out, "model.csv")) as f:
            for row in csv.DictReader(f):
                year = int(row["year"]) - 1  # the income earned in the year before the record
                for metric in ("country_ratio", "underemployment", "gini"):
                    if row[metric] in ("", "nan"):  # the initial record: no income earned yet
                        continue
                    key = (metric, year)
                    sums[key] = sums.get(key, 0.0) + float(row[metric])
                    counts[key] = counts.get(key, 0) + 1
    result = {}
    for (metric, year), total in sums.items():
        result.setdefault(metric, {})[year] = total / counts[(metric, year)]
    return result


def achieved(series):
    values = []
    for metric, year, _ in TARGETS:
        if year == "1990s":
            values.append(sum(series[metric][y] for y in range(1990, 1999 + 1) if y in series[metric]) /
                          sum(1 for y in range(1990, 2000) if y in series[metric]))
        else:
            values.append(series[metric][year])
    return values


def loss(values):
    return sum(math.log(v / target) ** 2 for v, (_, _, target) in zip(values, TARGETS))


def clamp(p):
    return {k: min(max(p[k], BOUNDS[k][0]), BOUNDS[k][1]) for k in p}


def nelder_mead(f, x0, steps, evaluations):
    n = len(x0)
    simplex = [list(x0)] + [[x0[j] + (steps[j] if j == i else 0.0) for j in range(n)] for i in range(n)]
    values = [f(x) for x in simplex]
    used = n + 1
    while used < evaluations:
        order = sorted(range(n + 1), key=lambda i: values[i])
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        centroid = [sum(simplex[i][j] for i in range(n)) / n for j in range(n)]
        worst = simplex[-1]
        reflected = [centroid[j] + (centroid[j] - worst[j]) for j in range(n)]
        fr = f(reflected)
        used += 1
        if fr < values[0]:
            expanded = [centroid[j] + 2 * (centroid[j] - worst[j]) for j in range(n)]
            fe = f(expanded)
            used += 1
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = [centroid[j] + 0.5 * (worst[j] - centroid[j]) for j in range(n)]
            fc = f(contracted)
            used += 1
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:  # shrink toward the best
                for i in range(1, n + 1):
                    simplex[i] = [simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]) for j in range(n)]
                    values[i] = f(simplex[i])
                    used += 1
    best = min(range(n + 1), key=lambda i: values[i])
    return simplex[best], values[best]


def write_scenario(p):
    os.makedirs(os.path.dirname(SCENARIO), exist_ok=True)
    with open(SCENARIO, "w") as f:
        f.write(scenario_text(p))
    with open(PARAMS, "w") as f:
        json.dump(p, f, indent=2, sort_keys=True)
        f.write("\n")


def report(p, values, evaluations):
    rows = "\n".join(f"| {metric} | {year} | {target:.4g} | {value:.4g} | {100 * (value / target - 1):+.1f} % |"
                     for value, (metric, year, target) in zip(values, TARGETS))
    fitted = "\n".join(f"| `{k}` | {p[k]:.6g} | [{BOUNDS[k][0]}, {BOUNDS[k][1]}] |" for k in FITTED)
    text = f"""# Calibration of `scenarios/world/history-1960-2000.toml`

Produced by `scripts/history.py calibrate --evaluations {evaluations}` (Nelder-Mead on the sum of
squared log errors, each evaluation the mean of 4 runs). Rerun it to redo the fit; `scripts/history.py
evaluate` reruns the shipped scenario and prints the same table. What is set from the literature and
what is fitted is listed at the top of `scripts/history.py`.

## Fitted parameters

| parameter | value | bounds |
|---|---|---|
{fitted}

## Targets and what the fitted scenario gives (mean of 4 runs)

| metric | year | target | model | miss |
|---|---|---|---|---|
{rows}

Sources: country ratio, UNDP Human Development Reports 1992 and 1999; underemployment, ILO (about a
third of the world's labour force un- or underemployed in the 1990s); world income Gini, Milanovic
(2002), 0.63-0.66 around 1990.
"""
    with open(REPORT, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["write", "calibrate", "evaluate"])
    parser.add_argument("--evaluations", type=int, default=80)
    parser.add_argument("--params", default=None, help="JSON file of the fitted parameters (write)")
    args = parser.parse_args()
    if args.command == "write":
        p = START
        if args.params or os.path.exists(PARAMS):
            with open(args.params or PARAMS) as f:
                p = json.load(f)
        write_scenario(p)
        return
    if args.command == "evaluate":
        with open(PARAMS) as f:
            p = json.load(f)
        values = achieved(run(p))
        for value, (metric, year, target) in zip(values, TARGETS):
            print(f"{metric:16} {year!s:6} target {target:8.4g}  model {value:8.4g}  ({100 * (value / target - 1):+.1f} %)")
        return

    def objective(x):
        p = clamp(dict(zip(FITTED, x)))
        try:
            value = loss(achieved(run(p)))
        except (subprocess.CalledProcessError, KeyError, ValueError, ZeroDivisionError) as error:
            print(f"  {p}: failed ({error})", file=sys.stderr)
            return 1e9
        print(f"  loss {value:.5f}  " + "  ".join(f"{k} {p[k]:.4g}" for k in FITTED), file=sys.stderr)
        return value

    x0 = [START[k] for k in FITTED]
    steps = [0.25 * (BOUNDS[k][1] - BOUNDS[k][0]) for k in FITTED]
    x, _ = nelder_mead(objective, x0, steps, args.evaluations)
    p = clamp(dict(zip(FITTED, x)))
    write_scenario(p)
    values = achieved(run(p))
    report(p, values, args.evaluations)
    for value, (metric, year, target) in zip(values, TARGETS):
        print(f"{metric:16} {year!s:6} target {target:8.4g}  model {value:8.4g}  ({100 * (value / target - 1):+.1f} %)")


if __name__ == "__main__":
    main()
