"""Everything a report shows, read from the storage (trains nothing): the oracle's cycles and
trials, the fits, the comparison's runs, the distributions. Whatever is not there yet is
listed in ``missing`` and left out of the figures and tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scyc_tune.analysis.distribution import Distribution
from scyc_tune.compare.driver import Comparison, load_comparison
from scyc_tune.errors import ScycError
from scyc_tune.fit.held_out import HeldOut, held_out
from scyc_tune.oracle.load import load_oracle, oracle_seeds
from scyc_tune.oracle.region import significance
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.store import FitRow, OracleDB
from scyc_tune.store.answer import GridPoint, OracleAnswer
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import base_schedule


@dataclass(frozen=True)
class GridTrial:
    cycle: int
    percent_remaining: float
    max_lr: float
    val_acc: float | None  # None: failed, stopped or diverged-without-accuracy; else the mean
    status: str
    std: float | None = None  # over the oracle's seeds (None: one seed)
    n: int = 1
    distinguishable: bool | None = None  # from the cycle's best (None: cannot tell)


@dataclass(frozen=True)
class DistributionSeries:
    source: str
    cycles: tuple[tuple[int, float, Distribution, Distribution], ...]  # m, lambda, grad, hidden


@dataclass
class ReportData:
    study: Study
    storage: str
    oracle: list[OracleAnswer]  # finished cycles, in order
    grid: list[GridTrial]  # every oracle trial, finished cycles or not
    fits: dict[str, FitRow]
    comparison: Comparison
    distributions: DistributionSeries | None
    scyc_paper: SCycParams | None
    auto_curve: tuple[str, list[float]] | None = None  # label, max_lr per oracle cycle
    missing: list[str] = field(default_factory=list)
    range_test_curve: tuple[str, list[float]] | None = None  # the LR range test's, likewise
    held_out: HeldOut | None = None  # fitted S-Cyc's inside count, one oracle seed left out

    @property
    def cycles(self) -> int:
        return self.study.pruning.cycles

    def scyc_fitted(self, mode: str = "oracle") -> SCycParams | None:
        fit = self.fits.get(mode)
        if fit is None or self.scyc_paper is None:
            return None
        return SCycParams.model_validate(fit.params)


def load_report_data(
    db: OracleDB,
    study: Study,
    artifact_dir: str | Path,
    source: str | None = None,
    seeds: int | None = None,
) -> ReportData:
    """``seeds``: the comparison's seeds to show (default: the study's [compare] seeds)."""
    from scyc_tune.analysis.record import default_source

    row = db.studies.named(study.name)
    missing: list[str] = []
    if row is None:
        raise ScycError(
            f"study {study.name!r} has nothing in {db.url}: run `scyc-tune run` (or `oracle`) "
            "on it first, with the same --storage"
        )
    try:
        oracle = load_oracle(db, study)
    except ScycError:
        oracle = []
    n = study.pruning.cycles
    if len(oracle) < n:
        missing.append(f"oracle: {len(oracle)} of {n} cycles finished (`scyc-tune oracle`)")
    grid = []
    keep = set(oracle_seeds(study))
    for c in db.oracle.cycles_of(row.id):
        runs: dict[float, list[tuple[float | None, str]]] = {}
        for t in db.oracle.trials_of(c.id):
            if t.seed in keep:
                ok = t.status in ("complete", "diverged")
                runs.setdefault(t.max_lr, []).append((t.val_acc if ok else None, t.status))
        points = [GridPoint.of_runs(v, r) for v, r in sorted(runs.items())]
        apart = significance(points, study.oracle.significance)
        for p in points:
            grid.append(
                GridTrial(
                    c.cycle, c.percent_remaining, p.max_lr, p.val_acc, p.status, p.std, p.n,
                    apart.get(p.max_lr),
                )
            )  # fmt: skip
    fits = db.fits.of(row.id)
    paper = base_schedule(study) if study.fit_label is not None else None
    if paper is not None and "oracle" not in fits:
        missing.append("S-Cyc fitted to the oracle: not run (`scyc-tune fit --mode oracle`)")
    comparison = load_comparison(db, study, row.id, seeds)
    missing += [f"comparison row {m}" for m in comparison.plan.missing]
    done = sum(comparison.complete(r, s) for r in comparison.plan.rows for s in comparison.seeds)
    total = len(comparison.plan.rows) * len(comparison.seeds)
    if done < total:
        missing.append(f"comparison: {done} of {total} runs finished (`scyc-tune compare`)")
    src = source or default_source(db, study, row.id)
    stored = db.distributions.of(row.id, src)
    series = None
    by_cycle: dict[int, dict[str, Distribution]] = {}
    lams: dict[int, float] = {}
    for d in stored:
        by_cycle.setdefault(d.cycle, {})[d.kind] = Distribution.from_dict(d.stats)
        lams[d.cycle] = d.percent_remaining
    both = [
        (m, lams[m], k["weight_grad"], k["hidden"])
        for m, k in sorted(by_cycle.items())
        if "weight_grad" in k and "hidden" in k
    ]
    if both and both[0][0] == 0:
        series = DistributionSeries(src, tuple(both))
    if series is None or len(series.cycles) < n:
        have = 0 if series is None else len(series.cycles)
        missing.append(f"distributions ({src}): {have} of {n} cycles (`scyc-tune gradients`)")
    data = ReportData(study, db.url, oracle, grid, fits, comparison, series, paper, None, missing)
    if oracle:
        data.auto_curve = _auto(study, oracle, artifact_dir, missing)
        data.range_test_curve = _range_test(study, oracle, artifact_dir, missing)
    if oracle and "oracle" in fits and study.oracle.seeds > 1:
        data.held_out = held_out(
            study, lambda s: db.oracle.answers(row.id, s), oracle_seeds(study),
            study.fit.oracle_trials,
        )  # fmt: skip
    return data


def _range_test(study, oracle, artifact_dir, missing) -> tuple[str, list[float]] | None:
    """The study's first ``lr_range_test`` schedule's max_lr at each oracle cycle, the test run
    on the oracle's own start states (none: the study has no such schedule)."""
    from scyc_tune.report.auto_row import measured_curve
    from scyc_tune.schedules.lr_range_test import LRRangeTestParams

    for label, params in study.schedules.items():
        if isinstance(params, LRRangeTestParams):
            try:
                return label, measured_curve(study, oracle, artifact_dir, params)
            except (ScycError, ValueError, FileNotFoundError) as exc:
                missing.append(f"the LR range test's max_lr per cycle: {exc}")
                return None
    return None


def _auto(study, oracle, artifact_dir, missing) -> tuple[str, list[float]] | None:
    from scyc_tune.report.auto_row import auto_params, measured_curve

    label, params = auto_params(study, oracle)
    try:
        return label, measured_curve(study, oracle, artifact_dir, params)
    except (ScycError, ValueError, FileNotFoundError) as exc:
        missing.append(f"auto's max_lr per cycle: {exc}")
        return None
