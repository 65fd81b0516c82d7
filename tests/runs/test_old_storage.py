"""A storage written before the run layer existed (tests/fixtures/storage_v0, made by `scyc-tune
run` at commit 9a1c93f) resumes under today's code: nothing is trained again, and the oracle's
answer, Table 3 and Table 2 are the same to the character (Table 3 as it reads today: its
'Best val acc (%)' row and every benchmark's max_lr (LR-warmup-1 and -2, the constant LR),
added since, from the stored answers). Its study file
pins auto's ``reference = "init"``, the only reference auto had then: the default since, the trained
unpruned network, names other runs; and the comparison as it was: in-sample seeds, the
benchmarks as written, the fitted S-Cyc in place of the study file's (whose row is now
titled "S-Cyc fitted, in-sample")."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent.parent / "fixtures" / "storage_v0"


def _scyc(root: Path, log: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCYC_TRAINING_LOG": str(log)}
    env.pop("SCYC_STORAGE", None)
    return subprocess.run(
        [sys.executable, "-m", "scyc_tune", *argv],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_old_storage_resumes_with_zero_trainings(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    log = tmp_path / "trainings.log"

    done = _scyc(root, log, "run", "study.toml")
    assert done.returncode == 0, done.stderr[-3000:]
    assert not log.exists() or log.read_text().split() == []
    reports = root / "storage" / "reports" / "e2e"
    for name in ("table3.md", "table2.md"):
        assert (reports / name).read_text() == (FIXTURE / name).read_text(), name

    done = _scyc(root, log, "oracle", "study.toml", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    got, want = json.loads(done.stdout), json.loads((FIXTURE / "oracle.json").read_text())
    assert [{k: c[k] for k in w} for c, w in zip(got, want, strict=True)] == want
    assert all(c["loaded_now"] == 0 and c["lost_now"] == 0 for c in got)  # counters added since
    assert not log.exists() or log.read_text().split() == []
