"""A failure that recurs in every trial (here: an artifact directory that cannot be created)
is reported as what it is, by compare and by the accuracy fit: exit 1, the exception's type,
message and where, and no 'lost with its worker'."""

import json
import subprocess
import sys

import pytest

STUDY = """
name = "broken"
seed = 3
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [8]
[pruning]
rate = 0.5
cycles = 2
[training]
iterations = 20
batch_size = 32
eval_every = 10
[schedules.constant]
type = "constant"
a = 0.02
[schedules.s-cyc]
type = "scyc"
epsilon = 0.05
delta = 0.1
q = 0
beta = 3
b = 5
c = 15
d = "Nil"
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 15
d = "Nil"
[fit]
accuracy_trials = 1
[compare]
schedules = ["constant"]
oracle_row = false
tuned_warmup = ""
seeds = 1
tune_grid = [0.02]
"""

SCRIPT = """
import contextlib, io, json, sys
from scyc_tune.cli.main import main
out = {}
for name, argv in (("compare", ["compare", "study.toml", "--artifacts", "not-a-dir/artifacts"]),
                   ("fit", ["fit", "study.toml", "--mode", "accuracy", "--artifacts",
                            "not-a-dir/artifacts"])):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(argv)
    out[name] = {"rc": rc, "err": err.getvalue()}
print(json.dumps(out))
"""


@pytest.mark.e2e
def test_compare_and_fit_report_the_trials_exception(tmp_path):
    (tmp_path / "study.toml").write_text(STUDY)
    (tmp_path / "not-a-dir").write_text("a file where the artifact directory should be")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    for name, expected in (("compare", "compare: run constant@0.02 seed 3: "), ("fit", "trial 0")):
        r = out[name]
        assert r["rc"] == 1, (name, r["err"][-2000:])
        errors = [ln for ln in r["err"].splitlines() if ln.startswith("scyc-tune: error")]
        assert len(errors) == 1, r["err"]
        assert expected in errors[0]
        # the run index under the artifact directory is the first thing the trial touches
        assert "Not a directory" in errors[0], errors[0]
        assert "(at store/blobs.py:" in errors[0] and " in read)" in errors[0], errors[0]
        assert "lost with" not in r["err"] and "Traceback" not in r["err"]
