"""Fault injection on a finished storage (the old-storage fixture's study, run end to end on
this machine: an oracle of 2 cycles x 4 grid points, its fit, comparison and report): a
swapped, a corrupt and a deleted artifact are detected and trained again with the same answer;
eight concurrent fits leave one whole fit (issue 12, findings 2 and 5)."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "storage_v0"

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]


def scyc(root: Path, *argv: str, log: Path | None = None, wait: bool = True):
    env = {**os.environ, "SCYC_TRAINING_LOG": str(log or root / "trainings.log")}
    env.pop("SCYC_STORAGE", None)
    cmd = [sys.executable, "-m", "scyc_tune", *argv]
    if not wait:
        return subprocess.Popen(
            cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def made_here(tmp_path_factory) -> Path:
    """The fixture's study run end to end on this machine, with its oracle answer and tables
    beside it. The faults below train damaged cycles again and expect the very bits that are
    stored; a CPU of another kind (AVX2 against AVX-512 kernels) computes other bits than the
    machine that wrote tests/fixtures/storage_v0, so the storage is made where it is tested."""
    root = tmp_path_factory.mktemp("made-here")
    shutil.copy(FIXTURE / "study.toml", root / "study.toml")
    log = root / "first.log"
    done = scyc(root, "run", "study.toml", log=log)
    assert done.returncode == 0, done.stderr[-3000:]
    done = scyc(root, "oracle", "study.toml", "--json", log=log)
    assert done.returncode == 0, done.stderr[-3000:]
    (root / "oracle.json").write_text(done.stdout)
    for name in ("table3.md", "table2.md"):
        shutil.copy(root / "storage" / "reports" / "e2e" / name, root / name)
    log.unlink()
    return root


@pytest.fixture
def project(tmp_path, made_here) -> Path:
    """A copy of ``made_here`` (its reference answer and tables at the top)."""
    root = tmp_path / "project"
    shutil.copytree(made_here, root)
    return root


def winner_artifact(root: Path, cycle: int) -> tuple[str, str]:
    with sqlite3.connect(root / "storage" / "scyc.db") as con:
        return con.execute(
            "select t.run_id, t.artifact from scyc_trials t join scyc_cycles c "
            "on c.best_run_id = t.run_id where c.cycle = ?",
            (cycle,),
        ).fetchone()


def artifact_path(root: Path, key: str) -> Path:
    return root / "storage" / "artifacts" / key[:2] / f"{key}.pt"


def answers(stdout: str) -> list[dict]:
    keep = ("cycle", "lambda", "well_tuned", "best_val_acc", "feasible", "contiguous", "points")
    return [{k: c[k] for k in keep} for c in json.loads(stdout)]


@pytest.mark.parametrize("damage", ["swapped", "bit-flipped", "deleted"])
def test_a_damaged_winner_is_trained_again_with_the_same_answer(project, damage):
    want = answers((project / "oracle.json").read_text())
    run_id, key = winner_artifact(project, 0)
    path = artifact_path(project, key)
    if damage == "swapped":  # another valid artifact under the winner's key
        _, other = winner_artifact(project, 1)
        path.write_bytes(artifact_path(project, other).read_bytes())
    elif damage == "bit-flipped":
        data = bytearray(path.read_bytes())
        data[-300] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        path.unlink()
    done = scyc(project, "oracle", "study.toml", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert answers(done.stdout) == want
    trained = (project / "trainings.log").read_text().split()
    assert trained == [run_id]  # that one grid point, nothing else
    if damage != "deleted":
        assert "moved to" in done.stderr
        assert len(list((project / "storage" / "artifacts" / "quarantine").iterdir())) == 1
    assert winner_artifact(project, 0) == (run_id, key)  # CPU training is bitwise: same state
    report = scyc(project, "report", "study.toml")
    assert report.returncode == 0, report.stderr[-3000:]
    table3 = project / "storage" / "reports" / "e2e" / "table3.md"
    assert table3.read_text() == (project / "table3.md").read_text()


def test_eight_concurrent_fits_leave_one_whole_fit(project):
    procs = [scyc(project, "fit", "study.toml", "--mode", "oracle", wait=False) for _ in range(8)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert "Traceback" not in err, err[-3000:]
        assert code == 0 or (code == 1 and "is running in process" in err), (code, err[-2000:])
    assert any(code == 0 for code, _ in results)
    with sqlite3.connect(project / "storage" / "scyc.db") as con:
        fits = con.execute("select optuna_study, trials from scyc_fits where mode = 'oracle'")
        assert fits.fetchall() == [("e2e/fit-oracle", 20)]
        trials = con.execute(
            "select count(*) from trials t join studies s on s.study_id = t.study_id "
            "where s.study_name = 'e2e/fit-oracle'"
        ).fetchone()[0]
        assert trials == 20
        assert con.execute("select count(*) from scyc_leases").fetchone()[0] == 0


def test_a_comparison_run_with_a_corrupt_index_entry_and_a_lost_state_is_retrained(project):
    """Finding 6 of issue 12: a corrupt run-index entry or artifact during `compare` was
    reported as "lost with its worker", exit 0, and every re-run failed the same way."""
    with sqlite3.connect(project / "storage" / "scyc.db") as con:
        runs = con.execute(
            "select run_id, artifact from scyc_compare_runs where row = 'constant' order by cycle"
        ).fetchall()
        con.execute("delete from scyc_compare_runs where row = 'constant'")
    (first, _), (second, state) = runs
    index = project / "storage" / "artifacts" / "runs"
    (index / first[:2] / f"{first}.json").write_text('{"record": {"val_')  # cut short
    artifact_path(project, state).unlink()
    done = scyc(project, "compare", "study.toml")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "lost with" not in done.stderr and "Traceback" not in done.stderr
    assert sorted((project / "trainings.log").read_text().split()) == sorted([first, second])
    report = scyc(project, "report", "study.toml")
    assert report.returncode == 0, report.stderr[-3000:]
    table2 = project / "storage" / "reports" / "e2e" / "table2.md"
    assert table2.read_text() == (project / "table2.md").read_text()


@pytest.fixture
def small_disk(project):
    """The project's artifact store on its own 8 MiB tmpfs (a real file system that fills up
    and can be made read-only); skipped, saying why, where this process cannot mount one."""
    store = project / "storage" / "artifacts"
    saved = project / "artifacts.saved"
    store.rename(saved)
    store.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(store)],
        capture_output=True, text=True,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()[:120]})")
    try:
        shutil.copytree(saved, store, dirs_exist_ok=True)
        yield store
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)


def fill(directory: Path, name: str) -> None:
    """Write zeros into ``directory/name`` until the file system is full."""
    with open(directory / name, "wb", buffering=0) as f:
        for chunk in (65536, 4096, 1):
            try:
                while True:
                    f.write(b"\0" * chunk)
            except OSError:
                pass


def test_a_worker_that_cannot_write_its_state_stops_the_oracle_in_one_line(project, small_disk):
    """Finding 6 of issue 12: the worker's artifact write sat outside its error handling and a
    full disk was reported as a failed grid point ("check the grid's max_lr values"). The
    winner of cycle 0 is deleted so its worker must write it again: onto a full store, then
    onto a read-only one. Each time: exit 1, one line naming the fault and the fix, nothing
    recorded for that point; once the store is writable, a re-run trains it and gives the
    uninterrupted answer."""
    want = answers((project / "oracle.json").read_text())
    run_id, key = winner_artifact(project, 0)
    fill(small_disk, "filler-1")
    artifact_path(project, key).unlink()  # frees its space, which filler-2 takes
    fill(small_disk, "filler-2")
    for fault in ("full", "read-only"):
        if fault == "read-only":
            (small_disk / "filler-1").unlink()
            (small_disk / "filler-2").unlink()
            subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        log = project / f"{fault}.log"
        done = scyc(project, "oracle", "study.toml", "--json", log=log)
        assert done.returncode == 1, (done.returncode, done.stdout[-2000:], done.stderr[-3000:])
        last = done.stderr.strip().splitlines()[-1]
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
        says = "no space left on the device writing" if fault == "full" else "read-only file"
        assert last.startswith("scyc-tune: error: ") and says in last, last
        assert str(small_disk) in last and "max_lr" not in last, last
        assert log.read_text().split() == [run_id]  # it did try
        with sqlite3.connect(project / "storage" / "scyc.db") as con:
            rows = con.execute(
                "select t.run_id, t.status, coalesce(t.error, '') from scyc_trials t "
                "join scyc_cycles c on c.id = t.cycle_id where c.cycle = 0"
            ).fetchall()
        # the fault is no answer about the grid point: its row still says why it is retrained
        assert [(s, "is missing" in e) for r, s, e in rows if r == run_id] == [("failed", True)]
        assert all(s == "complete" for r, s, _ in rows if r != run_id), rows
        assert not any("space" in e or "read-only" in e for *_, e in rows), rows
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    again = scyc(project, "oracle", "study.toml", "--json", log=project / "again.log")
    assert again.returncode == 0, again.stderr[-3000:]
    assert answers(again.stdout) == want
    assert (project / "again.log").read_text().split() == [run_id]
    assert winner_artifact(project, 0) == (run_id, key)
