"""The Python module against the command line: the same frames as the CSVs `glocal run` writes,
evaluate() as `glocal run --design`, the GIL released during a batch, Ctrl-C stopping it.

Run by ctest with PYTHONPATH=build/python and GLOCAL_BINARY, GLOCAL_SOURCE_DIR set."""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import numpy as np
import pandas as pd

import glocal

BINARY = os.environ["GLOCAL_BINARY"]
SOURCE = os.environ["GLOCAL_SOURCE_DIR"]
SCENARIO = """[scenario]
name = "python"
[run]
ticks = 300
record_every = 50
replicates = 3
[world.lattice]
side = 12
[culture]
[[sweep]]
key = "culture.traits"
values = [4, 12]
"""


class Module(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="glocal-python-")
        self.scenario = os.path.join(self.tmp.name, "python.toml")
        with open(self.scenario, "w") as f:
            f.write(SCENARIO)

    def tearDown(self):
        self.tmp.cleanup()

    def at(self, leaf):
        return os.path.join(self.tmp.name, leaf)

    def cli(self, *args):
        subprocess.run([BINARY, *args], check=True, capture_output=True)

    def test_run_gives_the_frames_of_the_command_line(self):
        self.cli("run", self.scenario, "--set", "culture.features=4", "--seed", "11", "-q", "--out", self.at("cli"))
        r = glocal.run(self.scenario, set={"culture.features": 4}, seed=11, threads=1)
        for name in ("runs", "model", "outcomes"):
            pd.testing.assert_frame_equal(getattr(r, name), pd.read_csv(self.at(f"cli/{name}.csv")), obj=name)
        self.assertEqual(len(r.outcomes), 6)
        self.assertEqual(r.failed, 0)
        # With `out`, the folder holds the same files, byte for byte.
        kept = glocal.run(self.scenario, set={"culture.features": 4}, seed=11, out=self.at("py"))
        self.assertEqual(kept.folder, self.at("py"))
        for name in ("runs.csv", "model.csv", "outcomes.csv"):
            with open(self.at(f"cli/{name}"), "rb") as a, open(self.at(f"py/{name}"), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_evaluate_is_the_design_run_by_the_command_line(self):
        X = np.array([[3, 2], [9, 5], [30, 3], [3.4, 2.0]])  # the last row rounds to the first point
        keys = ["culture.traits", "culture.features"]
        with self.assertRaises(ValueError) as caught:  # a design gives the points: a sweep is refused, as on the command line
            glocal.evaluate(X, keys, self.scenario, "cultures")
        self.assertIn("drop the [[sweep]]", str(caught.exception))
        with open(self.scenario, "w") as f:
            f.write(SCENARIO.split("[[sweep]]")[0])
        Y = glocal.evaluate(X, keys, self.scenario, "cultures", replicates=2, seed=3, set={"run.stop": "absorbing", "run.ticks": 100000})
        self.assertEqual(Y.shape, (4,))
        self.assertEqual(Y[0], Y[3])
        with open(self.at("design.csv"), "w") as f:
            f.write("culture.traits,culture.features\n3,2\n9,5\n30,3\n3,2\n")
        self.cli("run", self.scenario, "--design", self.at("design.csv"), "-r", "2", "--seed", "3", "--set", "run.stop=absorbing",
                 "--set", "run.ticks=100000", "-q", "--out", self.at("design"))
        outcomes = pd.read_csv(self.at("design/outcomes.csv"))
        expected = outcomes.groupby("point")["cultures"].mean().to_numpy()
        np.testing.assert_array_equal(Y, expected)

    def test_bad_input_raises_with_the_message_of_the_command_line(self):
        with self.assertRaises(ValueError) as caught:
            glocal.run(self.scenario, set={"culture.trait": 3})
        self.assertIn("did you mean 'culture.traits'", str(caught.exception))
        self.assertIsInstance(caught.exception, glocal.ScenarioError)
        with self.assertRaises(ValueError):
            glocal.evaluate([[1, 2, 3]], ["culture.traits"], self.scenario, "cultures")

    def test_the_gil_is_released_while_a_batch_runs(self):
        counts = []
        done = threading.Event()

        def count():
            n = 0
            while not done.is_set():
                n += 1
            counts.append(n)

        counter = threading.Thread(target=count)
        counter.start()
        glocal.run(self.scenario, set={"run.ticks": 20000, "world.lattice.side": 30}, replicates=2, threads=1)
        done.set()
        counter.join()
        # Held by the batch, the GIL would let the counter run only at the switch interval's
        # edges: about 200 increments per 5 ms slice, a few thousand in all.
        self.assertGreater(counts[0], 100000)

    def test_ctrl_c_stops_a_batch_and_writes_nothing(self):
        script = (
            "import glocal, sys\n"
            "print('started', flush=True)\n"
            f"glocal.run({self.scenario!r}, set={{'run.ticks': 10000000, 'world.lattice.side': 50}}, replicates=2, out={self.at('stopped')!r})\n"
        )
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ)
        self.assertEqual(child.stdout.readline().strip(), "started")
        time.sleep(1.0)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
        self.assertLess(time.monotonic() - sent, 5.0)
        self.assertNotEqual(child.returncode, 0)
        self.assertIn("KeyboardInterrupt", err)
        self.assertFalse(os.path.exists(self.at("stopped")))
        self.assertFalse(os.path.exists(self.at("stopped.partial")))


if __name__ == "__main__":
    unittest.main()
