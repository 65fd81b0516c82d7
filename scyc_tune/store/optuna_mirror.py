"""Each cycle as an Optuna study in the oracle's database, so ``optuna-dashboard URL`` plots it."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import optuna
from optuna.distributions import FloatDistribution
from optuna.storages import RDBStorage
from optuna.trial import TrialState
from sqlalchemy.engine import make_url

from scyc_tune.store._engine import is_sqlite, sqlite_file

SQLITE_TIMEOUT_S = 60

_STATES = {"complete": TrialState.COMPLETE, "fail": TrialState.FAIL}
_storages: dict[str, RDBStorage] = {}
_storages_lock = threading.Lock()


def mirror_trial(
    storage_url: str,
    study_name: str,
    grid: Sequence[float],
    max_lr: float,
    value: float | None,
    state: Literal["complete", "fail"],
    user_attrs: Mapping[str, Any],
) -> bool:
    """Add one run to the Optuna study ``study_name`` (direction maximize), unless already there.

    study_name: e.g. ``demo/cycle-3``, one study per pruning cycle; created on first use.
    grid: the cycle's max_lr grid; ``max_lr`` is the one param, a log-scale FloatDistribution
        over the grid's range (it stays compatible when a later call brings a wider grid).
    value: the objective (validation accuracy, a fraction), required and finite for 'complete',
        ignored for 'fail'.
    user_attrs: JSON-able attributes; ``run_id`` is required and makes the call idempotent: a
        run is mirrored at most once as 'fail' and at most once as 'complete', and not as 'fail'
        after 'complete' (so a failed run retried with success shows both attempts).
    Returns whether a trial was added.
    """
    if state not in _STATES:
        raise ValueError(f"state {state!r} is not one of {', '.join(map(repr, _STATES))}")
    run_id = user_attrs.get("run_id")
    if not run_id:
        raise ValueError(f"user_attrs must carry a 'run_id'; got keys {sorted(user_attrs)}")
    if state == "complete" and (value is None or not math.isfinite(value)):
        raise ValueError(f"a 'complete' trial needs a finite value; got {value!r}")
    if not grid:
        raise ValueError("grid is empty; pass the cycle's max_lr grid")

    storage = _storage(storage_url)
    try:
        study = optuna.load_study(study_name=study_name, storage=storage)
    except KeyError:
        study = optuna.create_study(
            storage=storage, study_name=study_name, direction="maximize", load_if_exists=True
        )
    mirrored = {
        t.state for t in study.get_trials(deepcopy=False) if t.user_attrs.get("run_id") == run_id
    }
    if TrialState.COMPLETE in mirrored or _STATES[state] in mirrored:
        return False
    low, high = min(*grid, max_lr), max(*grid, max_lr)
    trial = optuna.trial.create_trial(
        params={"max_lr": float(max_lr)},
        distributions={"max_lr": FloatDistribution(float(low), float(high), log=low > 0)},
        value=float(value) if state == "complete" else None,
        state=_STATES[state],
        user_attrs=dict(user_attrs),
    )
    study.add_trial(trial)
    return True


def _storage(url: str) -> RDBStorage:
    """One RDBStorage per database in this process (creating one checks the schema: slow)."""
    parsed = make_url(url)
    engine_kwargs: dict[str, Any] = {}
    if is_sqlite(parsed):
        engine_kwargs["connect_args"] = {"timeout": SQLITE_TIMEOUT_S}
        path = sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            parsed = parsed.set(database=str(path.resolve()))
    key = parsed.render_as_string(hide_password=False)
    with _storages_lock:
        storage = _storages.get(key)
        if storage is None:
            storage = RDBStorage(key, engine_kwargs=engine_kwargs)
            _storages[key] = storage
        return storage
