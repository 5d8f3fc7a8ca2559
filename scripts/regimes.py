#!/usr/bin/python3
"""Write scenarios/world/{hyperglobalization,localization,glocalization}.toml: the three roads of
the essay on one synthetic world, 1960-2030 (issue: the coupled world and the three-roads study).

    scripts/regimes.py            write the three files

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


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, regime in REGIMES.items():
        with open(os.path.join(OUT, f"{name}.toml"), "w") as f:
            f.write(text(name, regime))


if __name__ == "__main__":
    main()
