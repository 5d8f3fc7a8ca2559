#!/usr/bin/python3
"""Write scenarios/world/{hyperglobalization,localization,glocalization}.toml: the three roads of
the essay on one synthetic world, 1960-2030 (issue: the coupled world and the three-roads study).

    scripts/regimes.py            write the three files, and the roads on the real world
                                  (scenarios/world/roads/: continuation and the three, 2000-2050)
    scripts/regimes.py --firm-jobs 0.004 --out DIR
                                  only the real-world roads, with firms of another size, into DIR

One world (20 nations, 5 of the North with productivity 4, 15 of the South with 1; two localities
of 20 x 20 agents each: 16,000 agents), every process on (culture, economy, governance, ecology,
movements) with the same parameters; the regimes differ only in the policy levers the essay names,
each moving from the same 1960 state along a schedule to its 2030 value:

  hyperglobalization  trade and capital open (trade kernel's world weight 0.02 -> 0.5, firms'
                      openness 0.1 -> 0.9, mobility 0.05 -> 0.3), world media, firms sell one
                      standard product, no floors, no aid, no local redistribution, few NGO ties;
  localization        trade and capital stay home (world weight 0.02 -> 0.01, openness 0.1 ->
                      0.02, localities closed to foreign firms 0 -> 80 %), local redistribution,
                      local heritage, fewer outside projects;
  glocalization       open, less than hyperglobalization (world weight -> 0.3, openness -> 0.7),
                      global floors on tax and regulation, global aid, local redistribution,
                      firms adapt to local culture, dense NGO ties.

Three mechanisms stand where parameters stood (issue on the essay's claims): a product's cultural
fit sets how much a firm sells and how many it employs (economy.acceptance = "sales",
docs/model/economy.md, "Acceptance"); nations set their tax by best response to the others'
(governance.rule = "best_response", docs/model/governance.md), so a race to the bottom comes from
capital mobility; the global pollutant costs output (0.021 x^2, DICE-2016R with the stock without
abatement read as 3 C) and the resources' regrowth (0.2 x^2, an assumption to sweep;
docs/model/ecology.md, "Damage").

Nothing here is tuned to make a regime win; the values are the levers' plain readings.
"""
import argparse
import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scenarios", "world")

WORLD = """[run]
seed = 2030
replicates = 4
stop = "ticks"
ticks = 70
record_every = 5
record_places = "nation"
start_year = 1960

[world.lattice]
boundary = "periodic"
"""

NATIONS = "".join(
    f'[[world.nation]]\nname = "North-{k + 1}"\nbloc = "North"\ngroup = "north"\nlocalities = 2\npopulation = 400\nproductivity = 4.0\n\n'
    for k in range(5)) + "".join(
    f'[[world.nation]]\nname = "South-{k + 1}"\nbloc = "South"\ngroup = "south"\nlocalities = 2\npopulation = 400\nproductivity = 1.0\n\n'
    for k in range(15))

COMMON = {
    "culture": {"features": 5, "traits": 10, "prototype": '"nation"', "similarity": 0.6, "reach.locality": 0.05},
    "economy": {"exchange": '"awm"', "zeta": 0.05, "chi": 0.036, "dt": 0.1, "rate": 10, "reach.network": 0.0,
                "production": "true", "measure": '"income"', "growth": 0.02, "local_jobs": 0.6, "capital_return": 0.03,
                "livelihood": 0.5, "firms": 40, "firm_jobs": 0.05, "absorption": 0.2, "acceptance": '"sales"'},
    "governance": {"rule": '"best_response"', "spread": 0.3},
    "ecology": {"growth": 0.3, "catchability": 0.05, "effort": 2.0, "project_rate": 0.01, "commons": "true",
                "commons_damage": 0.021, "commons_resource_damage": 0.2},
    "movements": {"threshold": 0.3, "grievance_poverty": 0.3, "grievance_resource": 0.5, "grievance_displacement": 1.0,
                  "ngo_contacts": 1.0},
}

REGIMES = {
    "hyperglobalization": {
        "title": "Hyperglobalization: open trade and capital, world media, standard products, no floors.",
        "set": {"culture": {"media.kind": '"world"', "media.strength": 0.01}, "movements": {"ngo_ties": 0.1}},
        "schedules": [("economy.reach.world", 0.02, 0.5), ("economy.reach.nation", 0.98, 0.5), ("economy.openness", 0.1, 0.9),
                      ("economy.mobility", 0.05, 0.3)],
    },
    "localization": {
        "title": "Localization (Hines): trade and capital at home, local redistribution, local heritage.",
        "set": {"culture": {"heritage": 0.01}, "economy": {"chi_local": 0.1}, "movements": {"ngo_ties": 0.1},
                "ecology": {"project_rate": 0.005}},
        "schedules": [("economy.reach.world", 0.02, 0.01), ("economy.reach.nation", 0.98, 0.99), ("economy.openness", 0.1, 0.02),
                      ("economy.mobility", 0.05, 0.05), ("economy.closed_localities", 0.0, 0.8)],
    },
    "glocalization": {
        "title": "Glocalization: open with global floors and aid, local redistribution, firms adapt, dense NGO ties.",
        "set": {"culture": {"heritage": 0.005, "market": 0.01}, "economy": {"chi_local": 0.05, "chi_global": 0.01, "adaptation": 0.2},
                "governance": {"floor_tax": 0.2, "floor_regulation": 0.2}, "movements": {"ngo_ties": 0.6}},
        "schedules": [("economy.reach.world", 0.02, 0.3), ("economy.reach.nation", 0.98, 0.7), ("economy.openness", 0.1, 0.7),
                      ("economy.mobility", 0.05, 0.3)],
    },
}


def text(name, regime):
    tables = {k: dict(v) for k, v in COMMON.items()}
    for table, values in regime["set"].items():
        tables[table].update(values)
    out = [f"# The three roads (generated by scripts/regimes.py; change the script, not this file).\n# {regime['title']}",
           "[scenario]", f'name = "{name}"', f'description = "{regime["title"]}"', "", WORLD, NATIONS]
    for table in ("culture", "economy", "governance", "ecology", "movements"):
        out.append(f"[{table}]")
        out += [f"{k} = {v}" for k, v in tables[table].items()]
        out.append("")
    for key, start, end in regime["schedules"]:
        out += ["[[schedule]]", f'key = "{key}"', f"points = [[1960, {start}], [2030, {end}]]", ""]
    return "\n".join(out)


# The three roads as futures of the calibrated real world, 2000-2050 (scenarios/world/roads/).
# Each starts from scenarios/world/real-1960-2010.toml as calibrated, runs 1960-2050, and adds the
# processes the roads act through (culture, ecology, movements, tax competition, transnational
# firms) so that nothing of them reaches the economy before 2000: with shared streams every road's
# economy through 1999 is the calibrated history, run for run (tested). From 2000 the same things
# change in every road (firms employ, nations compete for them, the commons costs output, outside
# projects come), and each road's levers move linearly from their 2000 values to 2050.
REAL_OUT = os.path.join(OUT, "roads")
REAL_BASE = os.path.join(OUT, "real-1960-2010.toml")
ENTRY = 2000

REAL_TABLES = {
    "culture": {"features": 5, "traits": 10, "prototype": '"nation"', "similarity": 0.6, "reach.locality": 0.05},
    "ecology": {"growth": 0.3, "catchability": 0.05, "effort": 2.0, "commons": "true"},
    "movements": {"threshold": 0.3, "grievance_poverty": 0.3, "grievance_resource": 0.5, "grievance_displacement": 1.0,
                  "ngo_contacts": 1.0, "ngo_ties": 0.1},
}
# Keys added to the calibrated [economy] and [governance] tables (none acts before 2000).
REAL_ECONOMY = {"firms": 100, "acceptance": '"sales"', "redistribute": '"income"'}
REAL_GOVERNANCE = {"rule": '"best_response"'}
# What changes in 2000 in every road (a step): firms employ 0.2 % of their host's people each
# (100 firms, homes in proportion to 1960 output); nations revise taxes against mobile capital;
# outside projects; the commons' damage (DICE-2016R's 0.021 x^2 on output, 0.2 x^2 on regrowth).
REAL_COMMON = [("economy.firm_jobs", 0.0, 0.002), ("governance.revision", 0.0, 0.2), ("ecology.project_rate", 0.0, 0.01),
               ("ecology.commons_damage", 0.0, 0.021), ("ecology.commons_resource_damage", 0.0, 0.2)]
# The roads' levers: (key, value in 2000, value in 2050), linear in between. A lever the calibrated
# world schedules from data (openness: world trade over world output, 0.507 in 2000) starts from its
# data value instead of the one given here; redistribution acts on income (a flat tax with equal
# transfers).
REAL_ROADS = {
    "continuation": {"title": "Continuation: the levers of 2000 held to 2050.", "set": {}, "schedules": []},
    "hyperglobalization": {
        "title": "Hyperglobalization: open trade and capital, world media, standard products, no floors.",
        "set": {"culture": {"media.kind": '"world"'}},
        "schedules": [("economy.openness", 0.5, 0.9), ("economy.mobility", 0.1, 0.3), ("culture.media.strength", 0.0, 0.01)],
    },
    "localization": {
        "title": "Localization (Hines): trade and capital at home, local redistribution, local heritage.",
        "set": {},
        "schedules": [("economy.openness", 0.5, 0.1), ("economy.mobility", 0.1, 0.05), ("economy.closed_localities", 0.0, 0.8),
                      ("economy.chi_local", 0.0, 0.1), ("culture.heritage", 0.0, 0.01), ("ecology.project_rate", 0.01, 0.005)],
    },
    "glocalization": {
        "title": "Glocalization: open with global floors and aid, local redistribution, firms adapt, dense NGO ties.",
        "set": {},
        "schedules": [("economy.openness", 0.5, 0.7), ("economy.mobility", 0.1, 0.3), ("economy.chi_local", 0.0, 0.05),
                      ("economy.chi_global", 0.0, 0.01), ("economy.adaptation", 0.0, 0.2), ("governance.floor_tax", 0.0, 0.2),
                      ("governance.floor_regulation", 0.0, 0.2), ("culture.heritage", 0.0, 0.005), ("culture.market", 0.0, 0.01),
                      ("movements.ngo_ties", 0.1, 0.6)],
    },
}


def add_keys(lines, table, keys):
    """Insert `key = value` lines right after the [table] header."""
    at = lines.index(f"[{table}]") + 1
    lines[at:at] = [f"{k} = {v}" for k, v in keys.items()]


def base_paths(lines):
    """The calibrated file's schedules: key -> (index of its points line, its points)."""
    paths = {}
    for k, line in enumerate(lines):
        if line.startswith('key = "') and lines[k - 1] == "[[schedule]]":
            paths[line.split('"')[1]] = (k + 1, ast.literal_eval(lines[k + 1].split(" = ", 1)[1]))
    return paths


def value_at(points, year):
    """A schedule's value in a year: linear between its points, held beyond them."""
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def real_text(name, road, common=REAL_COMMON):
    with open(REAL_BASE) as f:
        base = f.read().splitlines()
    lines = base[base.index("[scenario]"):]
    lines[lines.index('name = "real-1960-2010"')] = f'name = "roads-{name}"'
    description = next(k for k, line in enumerate(lines) if line.startswith("description = "))
    lines[description] = f'description = "{road["title"]} The calibrated real world to 2000, then this road to 2050."'
    lines[lines.index("replicates = 8")] = "replicates = 4"
    lines[lines.index("ticks = 50")] = "ticks = 90"
    # A key the road schedules is not also set: drop the calibrated file's line for it.
    scheduled = {key for key, _, _ in common + road["schedules"]}
    kept, table = [], ""
    for line in lines:
        if line.startswith("["):
            table = line.strip("[]")
        elif " = " in line and f"{table}.{line.split(' = ')[0].strip()}" in scheduled:
            continue
        kept.append(line)
    lines = kept
    # A lever the calibrated world follows as data (economy.openness: world trade over world output)
    # keeps its data path to 2000 in every road, then holds (continuation) or moves along the road's path.
    levers = {key for other in REAL_ROADS.values() for key, _, _ in other["schedules"]}
    paths = {key: path for key, path in base_paths(lines).items() if key in levers}
    for key, (index, points) in paths.items():
        path = [p for p in points if p[0] < ENTRY] + [[ENTRY, value_at(points, ENTRY)]]
        path += [[2050, end] for own, _, end in road["schedules"] if own == key]
        lines[index] = f"points = {path}"
    add_keys(lines, "economy", REAL_ECONOMY)
    add_keys(lines, "governance", REAL_GOVERNANCE)
    # The world's real rate beyond the data: back to zero by 2015, then 1 %, an assumption near the
    # estimates of the natural rate in the 2010s (Holston, Laubach & Williams 2017).
    rate = next(k for k, line in enumerate(lines) if line.startswith("points = [[1960, 0.015]"))
    lines[rate] = lines[rate][:-1] + ", [2015, 0.0], [2020, 0.01]]"
    tables = {k: dict(v) for k, v in REAL_TABLES.items()}
    for table, values in road["set"].items():
        tables[table].update(values)
    out = [f"# The three roads as futures of the real world (generated by scripts/regimes.py; change the script, not this file).",
           f"# {road['title']}",
           "# The calibrated real world (real-1960-2010.toml) to 2000, with culture, ecology, movements, tax competition and",
           "# transnational firms that reach nothing of the economy before 2000; then this road's levers to 2050.",
           "# docs/model/three-roads.md, \"On the real world\"."] + lines
    for table in ("culture", "ecology", "movements"):
        out += ["", f"[{table}]"] + [f"{k} = {v}" for k, v in tables[table].items() if f"{table}.{k}" not in scheduled]
    own = {key for key, _, _ in road["schedules"]}
    for key, before, after in common:
        if key in own:  # the road's own path for it starts at the common value of 2000
            continue
        out += ["", "[[schedule]]", f'key = "{key}"', f"points = [[1960, {before}], [{ENTRY}, {after}]]", 'mode = "step"']
    before_of = {key: before for key, before, _ in common}
    for key, start, end in road["schedules"]:
        if key in paths:  # its path continues the calibrated file's schedule (above)
            continue
        # A key that changes in 2000 in every road (ecology.project_rate) holds its value before.
        before = f"[{ENTRY - 1}, {before_of[key]}], " if key in before_of else ""
        out += ["", "[[schedule]]", f'key = "{key}"', f"points = [{before}[{ENTRY}, {start}], [2050, {end}]]"]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description="Write the three roads' scenario files.")
    parser.add_argument("--firm-jobs", type=float, default=None,
                        help="only the roads on the real world, with this share of a host's people per firm from 2000 "
                             "(the shipped files use 0.002), into --out: the sensitivity to the firms' size")
    parser.add_argument("--out", default=REAL_OUT, help="folder for the real-world roads (with --firm-jobs)")
    args = parser.parse_args()
    common = REAL_COMMON
    if args.firm_jobs is None:
        os.makedirs(OUT, exist_ok=True)
        for name, regime in REGIMES.items():
            with open(os.path.join(OUT, f"{name}.toml"), "w") as f:
                f.write(text(name, regime))
    else:
        common = [(key, before, args.firm_jobs if key == "economy.firm_jobs" else after) for key, before, after in REAL_COMMON]
    os.makedirs(args.out, exist_ok=True)
    for name, road in REAL_ROADS.items():
        with open(os.path.join(args.out, f"{name}.toml"), "w") as f:
            f.write(real_text(name, road, common))


if __name__ == "__main__":
    main()
