"""A small ReportData built in memory (no storage, no training): 3 cycles of digits, an oracle
grid with a diverged and a failed cell, a comparison of 2 seeds, and distributions whose
sparsest cycle has a few huge values (the case that hid the others in Fig. 1)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from types import SimpleNamespace

import numpy as np
import pytest

STUDY = """
name = "sample"
seed = 0
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [8]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 3
[training]
iterations = 20
batch_size = 32
[schedules.constant]
type = "constant"
a = 0.01
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 15
d = "Nil"
[schedules.s-cyc]
type = "scyc"
epsilon = 0.04
delta = 0.04
q = 0
beta = 3
b = 5
c = 15
d = "Nil"
[oracle]
schedule = "warm"
grid = [0.02, 0.04, 0.08, 0.16, 0.32]
tolerance = 0.5
tolerance_mode = "points"
"""

GRID = (0.02, 0.04, 0.08, 0.16, 0.32)
# per cycle, (val_acc, status) per grid value; None = no accuracy
TRIALS = {
    0: [(0.900, "complete"), (0.930, "complete"), (0.9275, "complete"), (0.80, "complete"),
        (0.10, "diverged")],
    1: [(0.927, "complete"), (0.915, "complete"), (0.930, "complete"), (0.915, "complete"),
        (None, "failed")],
    2: [(0.880, "complete"), (0.895, "complete"), (0.905, "complete"), (0.700, "complete"),
        (0.10, "diverged")],
}  # fmt: skip
# the feasible sets these give at a 0.5-point tolerance (tolerance_mode = "points")
FEASIBLE = {0: (0.04, 0.08), 1: (0.02, 0.08), 2: (0.08,)}

# early-stop test accuracy (%) per row, seed and cycle
ACCURACY = {
    "constant": {0: (91.0, 88.0, 80.0), 1: (91.5, 88.5, 81.0)},
    "warm": {0: (92.5, 90.0, 84.0), 1: (92.7, 90.2, 85.0)},
    "s-cyc": {0: (92.0, 90.0, 85.0), 1: (92.0, 90.4, 86.0)},
}
TITLES = {"constant": "constant LR (1e-2)", "warm": "LR-warmup", "s-cyc": "S-Cyc"}


def sample_study():
    from scyc_tune.study.load import parse_study

    return parse_study(tomllib.loads(STUDY))


def grid_trials():
    from scyc_tune.report.data import GridTrial

    return [
        GridTrial(m, 100 * 0.5**m, v, acc, status)
        for m, rows in TRIALS.items()
        for v, (acc, status) in zip(GRID, rows, strict=True)
    ]


def oracle_cycles(study):
    from scyc_tune.oracle.region import GridPoint, feasible_region
    from scyc_tune.store.answer import OracleAnswer

    out = []
    for m, rows in TRIALS.items():
        points = [GridPoint(v, acc, s) for v, (acc, s) in zip(GRID, rows, strict=True)]
        region = feasible_region(points, study.oracle.tolerance, study.oracle.tolerance_mode)
        assert region.values == FEASIBLE[m]  # the sample means what it says
        out.append(OracleAnswer(m, 100 * 0.5**m, tuple(points), region))
    return out


def comparison(accuracy=ACCURACY, cycles=3):
    from scyc_tune.compare.driver import Comparison
    from scyc_tune.compare.rows import BENCHMARK, SCYC, CompareRow, Plan
    from scyc_tune.store.rows import CompareRunRow

    rows = tuple(
        CompareRow(label, TITLES[label], SCYC if label == "s-cyc" else BENCHMARK, (), "study")
        for label in accuracy
    )
    seeds = tuple(sorted({s for per_seed in accuracy.values() for s in per_seed}))
    runs = {
        (label, seed): [
            CompareRunRow(
                f"{label}-{seed}-{m}", label, seed, m, "run", 100 * 0.5**m, 0.04, False,
                acc / 100, acc / 100, 0.1, 1.0, False, None,
            )
            for m, acc in enumerate(per_seed[seed])
        ]
        for label, per_seed in accuracy.items()
        for seed in per_seed
    }  # fmt: skip
    return Comparison(Plan(rows, cycles, ()), seeds, runs)


def distributions():
    from scyc_tune.analysis.distribution import summarise
    from scyc_tune.report.data import DistributionSeries

    rng = np.random.default_rng(0)
    grads = [rng.normal(0, s, 4000) for s in (1e-3, 8e-4, 6e-4)]
    grads[2][:4] = (-0.5, -0.3, 0.4, 0.6)  # a few huge gradients in the sparsest network
    hidden = [np.maximum(rng.normal(0, s, 4000), 0) for s in (1.0, 0.9, 0.8)]
    ref_g, ref_h = summarise(grads[0]), summarise(hidden[0])
    cycles = tuple(
        (
            m,
            100 * 0.5**m,
            summarise(g, ref_g.thresholds) if m else ref_g,
            summarise(h, ref_h.thresholds) if m else ref_h,
        )
        for m, (g, h) in enumerate(zip(grads, hidden, strict=True))
    )
    return DistributionSeries("oracle", cycles)


def make_report_data(accuracy=ACCURACY, fitted: dict | None = None):
    from scyc_tune.report.data import ReportData
    from scyc_tune.store.rows import FitRow
    from scyc_tune.study.fit_schedule import base_schedule

    study = sample_study()
    fits = {}
    if fitted is not None:
        fits["oracle"] = FitRow(1, 1, "oracle", fitted, 1.0, "fit", 10, datetime(2024, 1, 1))
    return ReportData(
        study=study,
        storage="sqlite:///sample.db",
        oracle=oracle_cycles(study),
        grid=grid_trials(),
        fits=fits,
        comparison=comparison(accuracy),
        distributions=distributions(),
        scyc_paper=base_schedule(study),
        auto_curve=("auto", [0.05, 0.07, 0.1]),
    )


@pytest.fixture
def report_data():
    return make_report_data()


@pytest.fixture
def make_data():
    """``make_data(accuracy=..., fitted=...)``: the sample with other numbers."""
    return make_report_data


@pytest.fixture
def sample():
    """The sample's constants (test modules cannot import this conftest under importlib mode)."""
    return SimpleNamespace(
        GRID=GRID, TRIALS=TRIALS, FEASIBLE=FEASIBLE, ACCURACY=ACCURACY, STUDY=STUDY
    )
