"""S-Cyc's search space for Optuna: epsilon, delta, beta (floats, optionally stepped) and q
(an integer)."""

from __future__ import annotations

import optuna

from scyc_tune.errors import ScycError
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import PARAMS, base_schedule


def suggest(trial: optuna.Trial, study: Study, stepped: bool = True) -> dict[str, float | int]:
    """Sample (epsilon, delta, beta, q) within the study's fit ranges; ``stepped=False``
    ignores the ranges' steps (the oracle fit trains nothing, so it searches continuously)."""
    out: dict[str, float | int] = {}
    for name, r in study.fit_ranges().items():
        out[name] = trial.suggest_float(name, r.low, r.high, step=r.step if stepped else None)
    out["q"] = trial.suggest_int("q", *study.fit.q)
    return out


def paper_params(study: Study) -> dict[str, float | int]:
    """The study's own S-Cyc parameters (the fit's first, enqueued trial)."""
    base = base_schedule(study)
    out: dict[str, float | int] = {name: float(getattr(base, name)) for name in PARAMS}
    if not float(base.q).is_integer():
        raise ScycError(
            f"[schedules.{study.fit_schedule_label()}] q = {base.q}: the fit searches q over "
            "integers (the paper's q in 0..3); use an integer"
        )
    out["q"] = int(base.q)
    return out
