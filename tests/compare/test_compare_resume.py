"""`compare` killed with kill -9 mid-run: the rerun retrains only the cycles that were running
and stores each (row, seed, cycle) once. (That a resumed chain gives the numbers of an
uninterrupted one is the run index's determinism, checked by the oracle's kill -9 test.)"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

STUDY = """
name = "resume"
seed = 5
schedule = "warm"
[data]
name = "digits"
[model]
name = "fc"
hidden = [32, 32]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 3
[training]
iterations = {iterations}
batch_size = 32
eval_every = 50
[schedules.warm]
type = "warmup"
a = 0.1
b = 20
c = 150
d = "Nil"
[compare]
schedules = ["warm"]
tuned_warmup = ""
oracle_row = false
seeds = 2
max_concurrent = 1
"""


def compare(project: Path, wait: bool = True):
    cmd = [sys.executable, "-m", "scyc_tune", "compare", "study.toml"]
    env = {**os.environ, "SCYC_TRAINING_LOG": str(project / "trainings.log")}
    if not wait:
        return subprocess.Popen(
            cmd,
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=240)


def stored(project: Path) -> int:
    db = project / "storage" / "scyc.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from scyc_compare_runs").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def trainings(project: Path) -> list[str]:
    log = project / "trainings.log"
    return log.read_text().split() if log.exists() else []


@pytest.mark.faults
@pytest.mark.timeout(400)
def test_kill_9_then_rerun_trains_nothing_twice(tmp_path):
    killed = tmp_path
    (killed / "study.toml").write_text(STUDY.format(iterations=300))
    proc = compare(killed, wait=False)
    deadline = time.time() + 200
    while stored(killed) < 2 and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and the Ray processes it started
    proc.wait()
    before = stored(killed)
    assert 2 <= before < 6

    resumed = compare(killed)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert stored(killed) == 6  # 2 seeds x 3 cycles, each once
    runs = trainings(killed)
    assert len(set(runs)) == 6
    repeats = [r for r in set(runs) if runs.count(r) > 1]
    assert len(repeats) <= 1  # only the cycle running at the kill (one run at a time)
    assert "LR-warmup-1" not in resumed.stdout  # tuned_warmup = "": no LR-warmup-1/2 naming
    assert "± " in resumed.stdout  # both seeds finished every cycle
