"""`scyc-tune prune` end to end on the demo study (MNIST-1D), as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def scyc(*argv, cwd):
    return subprocess.run(
        [sys.executable, "-m", "scyc_tune", *argv], cwd=cwd, capture_output=True, text=True
    )


def test_demo_two_cycles(tmp_path):
    proc = scyc(
        "prune", str(ROOT / "studies" / "demo.toml"), "--cycles", "2", "--json", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [r["cycle"] for r in records] == [0, 1]
    assert [r["percent_remaining"] for r in records] == pytest.approx([100.0, 50.0], abs=0.01)
    assert [r["max_lr"] for r in records] == pytest.approx([0.08, 0.08])  # q = 1: No Growth
    for r in records:
        assert not r["diverged"]
        assert 0.3 < r["val_acc"] <= 1.0 and 0.3 < r["test_acc"] <= 1.0  # chance is 0.1


def test_table_output_and_bad_schedule_label(tmp_path):
    study = tmp_path / "s.toml"
    study.write_text(
        'name = "t"\nschedule = "c"\n[data]\nname = "digits"\n[model]\nhidden = [16]\n'
        '[training]\niterations = 20\neval_every = 10\n[schedules.c]\ntype = "constant"\na = 0.05\n'
    )
    proc = scyc("prune", str(study), "--cycles", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # 1184 prunable weights, floor(0.2 * 1184 + 0.5) = 237 pruned: lambda = 79.98
    assert "lambda" in proc.stdout and "100.00" in proc.stdout and "79.98" in proc.stdout
    bad = scyc("prune", str(study), "--schedule", "nope", cwd=tmp_path)
    assert bad.returncode == 2
    assert "no [schedules.nope]" in bad.stderr and "Traceback" not in bad.stderr
