"""The oracle end to end through Ray Tune on the embedded digits data (a local Ray instance)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

STUDY = """
name = "tiny"
seed = 3
schedule = "warm"
[data]
name = "digits"
[model]
name = "fc"
hidden = [32, 32]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 2
[training]
iterations = {iterations}
batch_size = 32
eval_every = 20
[schedules.warm]
type = "warmup"
a = 0.05
b = 10
c = 50
d = "Nil"
[oracle]
grid = [0.02, 0.05, 100000.0]
max_concurrent = {concurrent}
"""


def oracle(tmp, *extra, env=None, wait=True):
    cmd = [sys.executable, "-m", "scyc_tune", "oracle", "study.toml", "--json", *extra]
    full_env = {**os.environ, "SCYC_TRAINING_LOG": str(tmp / "trainings.log"), **(env or {})}
    if not wait:
        return subprocess.Popen(
            cmd,
            cwd=tmp,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    return subprocess.run(cmd, cwd=tmp, env=full_env, capture_output=True, text=True)


def trainings(tmp):
    path = tmp / "trainings.log"
    return path.read_text().split() if path.exists() else []


def setup(tmp, iterations=60, concurrent=2):
    (tmp / "study.toml").write_text(STUDY.format(iterations=iterations, concurrent=concurrent))


@pytest.fixture(scope="module")
def single_seed(tmp_path_factory):
    """The tiny study's single-seed oracle, run once for the tests of this module that read
    it (none of them trains anything more in its directory)."""
    tmp = tmp_path_factory.mktemp("single")
    setup(tmp)
    return tmp, oracle(tmp)


@pytest.mark.e2e  # with the replicated oracle's test, which shares its oracle run
def test_two_cycles_three_points_with_a_divergent_point(single_seed):
    tmp_path, proc = single_seed
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcome = json.loads(proc.stdout)
    assert [o["cycle"] for o in outcome] == [0, 1]
    assert [o["lambda"] for o in outcome] == pytest.approx([100, 50])
    for o in outcome:
        status = {p["max_lr"]: p["status"] for p in o["points"]}
        assert status == {0.02: "complete", 0.05: "complete", 100000.0: "diverged"}
        assert o["well_tuned"] in (0.02, 0.05)
        assert o["well_tuned"] in o["feasible"] and 100000.0 not in o["feasible"]
        assert o["best_val_acc"] > 0.5
    assert len(trainings(tmp_path)) == 6

    # the same command again trains nothing and gives the same answer
    again = oracle(tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(trainings(tmp_path)) == 6
    assert [o["well_tuned"] for o in json.loads(again.stdout)] == [o["well_tuned"] for o in outcome]

    # every cycle is an Optuna study, readable from a fresh process
    code = (
        "import optuna; s = optuna.load_study(study_name='tiny/cycle-1', "
        "storage='sqlite:///storage/scyc.db'); "
        "print(sorted((t.params['max_lr'], t.state.name) for t in s.trials))"
    )
    seen = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert seen.returncode == 0, seen.stderr
    assert "(0.02, 'COMPLETE')" in seen.stdout and "(0.05, 'COMPLETE')" in seen.stdout


@pytest.mark.e2e
def test_asha_lets_a_cycle_of_more_than_100_evaluations_finish(tmp_path):
    """Issue 15, item 6: ``training_iteration`` counts a trial's reports, and ASHA's default
    ``max_t`` (100) stopped every grid point of a cycle with more than 100 evaluations at its
    100th report, without a final result. Now ``max_t`` is the cycle's number of reports: a
    lone point evaluated 150 times ends complete."""
    setup(tmp_path, iterations=150)
    text = (tmp_path / "study.toml").read_text()
    text = text.replace("eval_every = 20", "eval_every = 1").replace("cycles = 2", "cycles = 1")
    text = text.replace("grid = [0.02, 0.05, 100000.0]", "grid = [0.05]\ngrow = 0")
    (tmp_path / "study.toml").write_text(text)
    from scyc_tune.oracle.driver import cycle_reports

    assert cycle_reports(150, 1) == 150 and cycle_reports(150, 20) == 8
    proc = oracle(tmp_path, "--asha")
    assert proc.returncode == 0, proc.stderr[-3000:]
    (cycle,) = json.loads(proc.stdout)
    assert [(p["max_lr"], p["status"]) for p in cycle["points"]] == [(0.05, "complete")]
    assert cycle["well_tuned"] == 0.05


def _completed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from scyc_trials").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _workers(tmp: Path) -> list[int]:
    """Pids of the Ray Tune function-trainable actors (``ray::ImplicitFunc...``) alive now that
    serve the driver started in ``tmp``, and no others: .ci/run runs other lanes' Ray
    instances beside this one. A worker inherits the driver's environment (that is how its
    trainings reach ``SCYC_TRAINING_LOG``), which names ``tmp``, also once the driver is
    killed and the worker left to init."""
    tag = f"SCYC_TRAINING_LOG={tmp / 'trainings.log'}".encode()
    done = subprocess.run(["pgrep", "-f", "ray::ImplicitFunc"], capture_output=True, text=True)
    mine = []
    for pid in map(int, done.stdout.split()):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if tag in environ:
            mine.append(pid)
    return mine


def _trial_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("select run_id, status from scyc_trials").fetchall()


def setup_four(d: Path) -> None:
    """Two cycles of four grid points in one population of 4, one trial at a time."""
    setup(d, iterations=1500, concurrent=1)
    text = (d / "study.toml").read_text()
    text = text.replace("grid = [0.02, 0.05, 100000.0]", "grid = [0.02, 0.05, 0.1, 0.2]")
    (d / "study.toml").write_text(text + "population = 4\n")


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """The uninterrupted oracle of ``setup_four``, for the fault tests that compare with it."""
    d = tmp_path_factory.mktemp("four")
    setup_four(d)
    full = oracle(d)
    assert full.returncode == 0, full.stderr[-3000:]
    assert [c["trained_now"] for c in json.loads(full.stdout)] == [4, 4]
    return d, full


def _artifacts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("select run_id, artifact from scyc_trials").fetchall())


def _checkpoints(root: Path) -> list[Path]:
    return list((root / "storage" / "ray").glob("*/*/checkpoint_*"))


@pytest.mark.faults
@pytest.mark.timeout(400)
def test_a_worker_killed_mid_cycle_resumes_from_its_checkpoint_bitwise(tmp_path, four):
    """Issue 15, item 5: kill -9 of the Ray worker training a population, once its running
    member has written a mid-cycle checkpoint (every 10 evaluations). Ray Tune restarts the
    trial in the same run (max_failures = 1): the members already stored are loaded, the one
    cut resumes from its checkpoint, and every trained state's digest is the uninterrupted
    run's. (Issue 12, finding 1: a killed worker used to drop the point and answer wrongly.)"""
    reference, full = four
    killed = tmp_path / "killed"
    killed.mkdir()
    setup_four(killed)
    proc = oracle(killed, wait=False)
    deadline, victim = time.time() + 200, None
    while victim is None and time.time() < deadline and proc.poll() is None:
        if _checkpoints(killed):  # a member is past its first checkpoint
            alive = _workers(killed)
            victim = alive[0] if alive else None
        time.sleep(0.02)
    assert victim is not None, "no checkpoint was seen"
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    got, want = json.loads(out), json.loads(full.stdout)
    keep = ("cycle", "lambda", "well_tuned", "best_val_acc", "feasible", "contiguous", "points")
    assert [{k: c[k] for k in keep} for c in got] == [{k: c[k] for k in keep} for c in want]
    assert "Ray Tune restarts the trial from its last checkpoint" in err
    assert sum(c["lost_now"] for c in got) == 0  # recovered inside the launch
    # the restarted trial's repeat of the members it had finished is counted once, as trained
    assert [(c["trained_now"], c["loaded_now"]) for c in got] == [(4, 0), (4, 0)]
    log = trainings(killed)
    resumed = [t for t in log if "@" in t]
    assert len(resumed) == 1, log
    rid, at = resumed[0].split("@")
    assert int(at) % 200 == 0 and 0 < int(at) < 1500  # 10 evaluations of 20 iterations
    plain = [t for t in log if "@" not in t]
    assert sorted(plain) == sorted(set(plain)) and len(plain) == 8  # none trained twice
    print(f"\nresumed {rid[:12]} from its checkpoint at iteration {at}")
    # every state, the resumed one included, is bitwise the uninterrupted run's
    assert _artifacts(killed / "storage" / "scyc.db") == _artifacts(
        reference / "storage" / "scyc.db"
    )


@pytest.mark.faults
@pytest.mark.timeout(400)
def test_a_population_cut_by_kill_9_of_the_driver_resumes_member_by_member(tmp_path, four):
    """Issue 13: the driver (and its Ray workers) killed while a population of 4 grid points is
    half trained; the next run loads the members already stored and trains the rest, so no
    member is trained twice but the one running at the kill, and the answer is unchanged.
    (The single engine stores each member as it ends; the member cut restarts from its
    beginning: Ray's mid-cycle checkpoints live in the killed driver's Tune run.)"""
    reference, full = four
    killed = tmp_path / "killed"
    killed.mkdir()
    setup_four(killed)
    proc = oracle(killed, wait=False)
    deadline = time.time() + 200
    while len(trainings(killed)) < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)  # the third member has started: the first two are stored
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for pid in _workers(killed):  # Ray's worker processes leave the driver's process group
        os.kill(pid, signal.SIGKILL)
    while _workers(killed) and time.time() < deadline:
        time.sleep(0.05)
    before = trainings(killed)
    assert 3 <= len(before) < 4, before  # cut inside cycle 0's one population
    assert _completed(killed / "storage" / "scyc.db") == 0  # the driver recorded nothing yet

    resumed = oracle(killed)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    got = json.loads(resumed.stdout)
    assert got[0]["loaded_now"] >= 2 and got[0]["trained_now"] <= 2
    runs = trainings(killed)
    repeats = [r for r in set(runs) if runs.count(r) > 1]
    assert len(repeats) <= 1 and set(repeats) <= {before[-1]}  # only the member cut mid-way
    assert len(set(runs)) == 8
    counters = ("trained_now", "loaded_now", "lost_now")
    strip = lambda o: [{k: v for k, v in c.items() if k not in counters} for c in o]  # noqa: E731
    assert strip(got) == strip(json.loads(full.stdout))


@pytest.mark.e2e
def test_a_replicated_oracle_trains_each_point_per_seed_on_its_own_chain(tmp_path, single_seed):
    """Issue 14: ``[oracle] seeds = 2``. Each grid point is trained with seeds 3 and 4, each
    seed from its own start (its own initialisation and split, then its own winner pruned);
    points are means with a std; seed 3's cycle 0 is the single-seed oracle's, run id for run
    id; a re-run trains nothing."""
    single, one = single_seed
    double = tmp_path / "double"
    double.mkdir()
    setup(double)
    (double / "study.toml").write_text((double / "study.toml").read_text() + "seeds = 2\n")
    two = oracle(double)
    assert one.returncode == 0, one.stderr[-3000:]
    assert two.returncode == 0, two.stderr[-3000:]
    got = json.loads(two.stdout)
    assert len(trainings(double)) == 12 == 2 * len(trainings(single))
    assert set(trainings(single)[:3]) <= set(trainings(double))  # cycle 0, seed 3: the same
    for c in got:
        by_lr = {p["max_lr"]: p for p in c["points"]}
        assert by_lr[0.02]["seeds"] == 2 and by_lr[0.02]["std"] >= 0
        assert by_lr[100000.0]["status"] == "diverged"
        assert c["well_tuned"] in (0.02, 0.05) and c["well_tuned"] in c["feasible"]
        assert by_lr[c["well_tuned"]]["distinguishable"] is False
    db = double / "storage" / "scyc.db"
    with sqlite3.connect(db) as con:
        seeds = con.execute("select seed, count(*) from scyc_trials group by seed").fetchall()
    assert sorted(seeds) == [(3, 6), (4, 6)]
    import optuna  # the dashboard's page of each cycle shows its answer, point by point

    for c in got:
        page = optuna.load_study(study_name=f"tiny/cycle-{c['cycle'] + 1}",
                                 storage=f"sqlite:///{db}").user_attrs  # fmt: skip
        assert page["answer: well-tuned max_lr"] == c["well_tuned"]
        best = page[f"answer: max_lr {c['well_tuned']:g}"]
        assert "over 2 seeds; the well-tuned point" in best
        assert page["answer: max_lr 100000"].endswith("diverged")
    again = oracle(double)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(trainings(double)) == 12
    assert json.loads(again.stdout)[1]["points"] == got[1]["points"]


ADAPTIVE = {
    "cycles = 2": "cycles = 1",
    "grid = [0.02, 0.05, 100000.0]": (
        "grid = [0.004, 0.008]\ngrow = 1\nrefine = 1\nresolution = 0.0005\npopulation = 1"
    ),
}


def adaptive_study(d: Path) -> None:
    d.mkdir()
    setup(d, concurrent=1)
    text = (d / "study.toml").read_text()
    for old, new in ADAPTIVE.items():
        text = text.replace(old, new)
    (d / "study.toml").write_text(text)


@pytest.fixture(scope="module")
def adaptive_reference(tmp_path_factory):
    """The adaptive study's oracle run whole, once for the kill tests that compare with it."""
    reference = tmp_path_factory.mktemp("adaptive") / "ref"
    adaptive_study(reference)
    return reference, oracle(reference)


@pytest.mark.faults
@pytest.mark.timeout(400)
@pytest.mark.parametrize(
    ("stored", "phase"), [(2, "the growth"), (3, "the refinement")], ids=["growth", "refinement"]
)
def test_the_grid_grows_at_its_edge_and_refines_and_resumes_after_kill_9(
    tmp_path, adaptive_reference, stored, phase
):
    """Issue 14: the best of [0.004, 0.008] is its top edge, so the grid grows one step to
    0.012 (grow = 1), is still best there (a note says so), and refinement splits the gap
    below the region, 0.01; every point is a stored trial, and a run killed during the growth
    or during the refinement resumes to the same answer without training a stored point
    again (only the point cut mid-way is trained anew)."""
    reference, full = adaptive_reference
    assert full.returncode == 0, full.stderr[-3000:]
    (answer,) = json.loads(full.stdout)
    assert [p["max_lr"] for p in answer["points"]] == [0.004, 0.008, 0.01, 0.012]
    assert answer["well_tuned"] == 0.012
    assert "growing it to 0.012" in full.stderr and "refining the region at max_lr 0.01" in (
        full.stderr
    )
    assert "still on the grid's top edge after 1 growth step(s)" in full.stderr
    assert len(trainings(reference)) == 4
    assert _completed(reference / "storage" / "scyc.db") == 4

    killed = tmp_path / "killed"
    adaptive_study(killed)
    proc = oracle(killed, wait=False)
    deadline = time.time() + 200
    while _completed(killed / "storage" / "scyc.db") < stored and time.time() < deadline:
        time.sleep(0.1)  # the points before `phase` are stored: `phase` is under way
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for pid in _workers(killed):  # Ray's workers leave the driver's process group
        os.kill(pid, signal.SIGKILL)
    assert _completed(killed / "storage" / "scyc.db") == stored, phase
    cut = trainings(killed)[stored:]  # started, never stored (one at a time: max_concurrent 1)
    resumed = oracle(killed)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    runs = trainings(killed)
    assert len(set(runs)) == 4 and set(runs[:stored]) == set(trainings(reference)[:stored])
    assert {r for r in runs if runs.count(r) > 1} <= set(cut)  # no stored point trained again
    assert len(runs) - 4 == len(cut) <= 1
    counters = ("trained_now", "loaded_now", "lost_now")
    strip = lambda o: [{k: v for k, v in c.items() if k not in counters} for c in o]  # noqa: E731
    assert strip(json.loads(resumed.stdout)) == strip(json.loads(full.stdout))
