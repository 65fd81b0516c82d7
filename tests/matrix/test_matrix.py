"""Every network and every study file through every command on tiny data in the real formats
(see conftest.py): exit codes, and that every table has its rows."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

# the first test runs the whole matrix (its session fixture): about 3.5 minutes on 2 cores
pytestmark = [pytest.mark.matrix, pytest.mark.timeout(900)]

STUDIES = sorted((Path(__file__).resolve().parents[2] / "studies").glob("*.toml"))
#: fc with BatchNorm and every study file (the paper's networks) through every command
CELLS = ["fc-bn"] + [f"studies/{p.name}" for p in STUDIES]
NETWORKS = ["fc", "fc-bn", "resnet20", "vgg19_bn", "resnet50"]
FORMATS = ["cifar10", "fashion_mnist", "tiny_imagenet"]


def oracle_seeds(cell: str) -> int:
    """R of the cell's study: the study file's [oracle] seeds (fc-bn: 1)."""
    if not cell.startswith("studies/"):
        return 1
    raw = tomllib.loads((STUDIES[0].parent / cell.removeprefix("studies/")).read_text())
    return raw.get("oracle", {}).get("seeds", 1)


def _csv(path: Path) -> list[dict]:
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@pytest.mark.parametrize("cell", CELLS)
def test_every_command_exits_as_expected(matrix, cell):
    steps = {k: v for k, v in matrix[cell].items() if not k.startswith("_")}
    assert steps, cell
    for step, r in steps.items():
        assert r["rc"] == r["expected"], f"{cell} {step}: rc {r['rc']}\n{r['err'][-2500:]}"
        assert "Traceback" not in r["err"], f"{cell} {step}\n{r['err'][-2500:]}"
        assert "Token authentication" not in r["err"]  # Ray's start-up lines stay out
        if r["expected"]:  # a command the study cannot do: one line saying why
            lines = [ln for ln in r["err"].splitlines() if ln.startswith("scyc-tune: error")]
            assert len(lines) == 1, r["err"]
            if r["expected"] == 2:
                assert "add a [schedules." in lines[0], lines[0]


@pytest.mark.parametrize("cell", CELLS)
def test_every_table_has_its_rows(matrix, cell):
    steps = matrix[cell]
    root = Path(matrix["_root"])
    prune = json.loads(steps["prune"]["out"])
    assert [r["cycle"] for r in prune] == [0, 1]
    assert [r["percent_remaining"] for r in prune][0] == 100.0
    if steps["oracle"]["expected"] == 0:
        oracle = json.loads(steps["oracle"]["out"])
        assert [o["cycle"] for o in oracle] == [0, 1]
        for o in oracle:
            assert o["well_tuned"] in (0.02, 0.05)
            assert {p["max_lr"] for p in o["points"]} == {0.02, 0.05}
    if steps["fit-oracle"]["expected"] == 0:
        fit = json.loads(steps["fit-oracle"]["out"])
        assert len(fit["cycles"]) == 2 and fit["trials"] == 5
        acc = json.loads(steps["fit-accuracy"]["out"])
        assert acc["trials"] >= 2 and acc["best"]["value"] is not None
    out = root / "storage" / "reports" / steps["_study"]
    assert (out / "report.html").is_file()
    rows = _csv(out / "table2.csv")
    lam = prune[1]["percent_remaining"]
    lams = sorted({float(r["lambda"]) for r in rows})  # nominal: 100 (1 - p)^m
    assert len(lams) == 2 and lams[1] == 100.0 and lams[0] == pytest.approx(lam, abs=0.1)
    assert all(r["seeds"] == "1" for r in rows), rows
    labels = {r["schedule"].split(" (")[0] for r in rows}
    assert "constant LR, tuned" in labels  # its LR grid-tuned on the unpruned network first
    if steps["oracle"]["expected"] == 0:
        t3 = (out / "table3.md").read_text()
        assert "Well-tuned max_lr" in t3 and "λ = 100" in t3 and f"λ = {lams[0]:g}" in t3
        assert "Not run yet" not in t3
        with sqlite3.connect(root / "storage" / "scyc.db") as db:
            n = db.execute(
                "SELECT count(*) FROM scyc_distributions d JOIN scyc_studies s "
                "ON d.study_id = s.id WHERE s.name = ?",
                (steps["_study"],),
            ).fetchone()[0]
        assert n == 2 * 2  # two cycles, gradients and hidden representations


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("dataset", FORMATS)
def test_every_network_prunes_on_every_format(matrix, network, dataset):
    r = matrix[f"{network}/{dataset}"]["prune"]
    if network == "vgg19_bn" and dataset == "fashion_mnist":  # 28 x 28: five 2x2 pools need 32
        assert r["rc"] == 2 and "vgg19_bn" in r["err"] and "32" in r["err"], r["err"]
        return
    assert r["rc"] == 0, r["err"][-2000:]
    records = json.loads(r["out"])
    assert len(records) == 2
    assert records[1]["percent_remaining"] == pytest.approx(50.0, abs=0.1)  # exact k per cycle


@pytest.mark.parametrize("cell", CELLS)
def test_the_log_lines_and_the_summary_give_the_same_counts(matrix, cell):
    """Piped to a log: one line per finished item, and the summary repeats the last counts."""
    for step, summary in (("oracle", "oracle: grid points "), ("compare", "compare: cycles ")):
        r = matrix[cell][step]
        if r["expected"]:
            continue
        lines = r["err"].splitlines()
        items = [ln for ln in lines if re.search(r"\[\d+/\d+; trained \d+", ln)]
        assert items, r["err"]
        last = re.search(r"\[\d+/\d+; (trained [^;]*); eta", items[-1]).group(1)
        [total] = [ln for ln in lines if ln.startswith(summary)]
        assert total.startswith(f"{summary}{last};"), (items[-1], total)


@pytest.mark.parametrize("cell", CELLS)
def test_run_trains_nothing_more_and_ends_with_the_result(matrix, cell):
    steps = matrix[cell]
    r = steps["run"]
    out = r["out"].strip().splitlines()
    assert out[-1].endswith("report.html")
    if steps["oracle"]["expected"] == 0:
        assert "the oracle's answer (Table 3)" in r["out"]
        # 2 grid points x 2 cycles x R seeds, all stored by the oracle step
        loaded = 4 * oracle_seeds(cell)
        assert f"oracle: grid points trained 0, loaded {loaded};" in r["err"]
    else:  # no warmup to vary: the oracle and the fit are skipped, saying why
        assert "the schedule comparison (Table 2)" in r["out"]
        assert "== step 1/5: oracle skipped: the oracle needs a schedule to vary" in r["err"]
        assert "== step 2/5: fit skipped:" in r["err"]
    assert "compare: cycles trained 0, loaded " in r["err"]
