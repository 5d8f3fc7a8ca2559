"""glocal from Python: run scenarios and get pandas DataFrames, or evaluate a model f(X) -> Y
for SALib and the EMA Workbench.

    import glocal
    r = glocal.run("scenarios/default.toml", set={"culture.traits": 15}, replicates=8)
    r.model.groupby("tick")["regions"].mean()

The frames are read from the same files `glocal run` writes (they equal them), so a result from
Python and one from the command line are the same rows. A batch runs with the GIL released, on
every core by default; Ctrl-C stops it (KeyboardInterrupt, nothing written).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ._glocal import OutputError, ScenarioError, run_to_folder, version

__all__ = ["run", "evaluate", "Results", "ScenarioError", "OutputError", "version"]


@dataclass
class Results:
    """The tables of a batch, as `glocal run` writes them (see the README's Outputs)."""

    runs: pd.DataFrame
    model: pd.DataFrame
    outcomes: pd.DataFrame
    places: Optional[pd.DataFrame] = None
    folder: Optional[str] = None  # the results folder, when `out` was given
    failed: int = 0
    manifest: dict = field(default_factory=dict)


def _value(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def _read(folder: str) -> Results:
    import json

    def table(name: str) -> Optional[pd.DataFrame]:
        path = os.path.join(folder, name + ".csv")
        return pd.read_csv(path) if os.path.exists(path) else None

    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    return Results(runs=table("runs"), model=table("model"), outcomes=table("outcomes"), places=table("places"), manifest=manifest)


def _run(scenario, set, replicates, seed, threads, out, keys=(), rows=()) -> Results:
    assignments = [f"{k}={_value(v)}" for k, v in (set or {}).items()]
    scenario = os.fspath(scenario)
    if out is not None:
        failed = run_to_folder(scenario, assignments, seed, replicates, threads or 0, list(keys), rows, os.fspath(out))
        results = _read(os.fspath(out))
        results.folder = os.fspath(out)
    else:
        scratch = tempfile.mkdtemp(prefix="glocal-")
        try:
            folder = os.path.join(scratch, "results")
            failed = run_to_folder(scenario, assignments, seed, replicates, threads or 0, list(keys), rows, folder)
            results = _read(folder)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    results.failed = failed
    return results


def run(scenario, set: Optional[Mapping[str, object]] = None, replicates: Optional[int] = None, seed: Optional[int] = None,
        threads: Optional[int] = None, out=None) -> Results:
    """Runs a scenario file's batch (its sweep, if any) and returns its tables as DataFrames.

    set: keys to override, e.g. {"culture.traits": 15} (as --set); replicates, seed: as -r and
    --seed; threads: worker threads (default every core; results do not depend on it); out: also
    keep the results folder there (it must not exist). Raises glocal.ScenarioError (a ValueError)
    for a bad scenario or key, glocal.OutputError (an OSError) when `out` cannot be written.
    """
    return _run(scenario, set, replicates, seed, threads, out)


def evaluate(X, keys: Sequence[str], scenario, metric: str, replicates: int = 1, seed: Optional[int] = None,
             set: Optional[Mapping[str, object]] = None, threads: Optional[int] = None) -> np.ndarray:
    """The model as f(X) -> Y, the shape SALib and the EMA Workbench call.

    Row i of X (n x len(keys)) is a parameter point; Y[i] is `metric` at the end of each run
    (outcomes.csv), averaged over the point's `replicates` runs that finished ok (NaN if none did).
    Integer keys are rounded to the nearest integer. Each point's runs have the identities of
    `glocal run` (the same point always gives the same Y for a seed).
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    if X.shape[1] != len(keys):
        raise ValueError(f"X has {X.shape[1]} columns and there are {len(keys)} keys")
    r = _run(scenario, set, replicates, seed, threads, None, keys, X.tolist())
    if metric not in r.outcomes.columns:
        raise ValueError(f"no metric '{metric}' in this scenario's outcomes; it has: {', '.join(r.outcomes.columns[6:-1])}")
    ok = r.outcomes[r.outcomes["status"] == "ok"]
    return ok.groupby("point")[metric].mean().reindex(range(X.shape[0])).to_numpy(dtype=float)
