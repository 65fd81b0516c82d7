"""Each cycle as an Optuna study in the oracle's database, so ``optuna-dashboard URL`` plots it.

Names: internal cycle m (0-based, as stored in ``scyc_cycles``) is the study
``<study>/cycle-<m+1>``, the number the CLI shows (``cycle 1/6`` is m = 0). Every study made
here carries the user attributes ``study``, ``cycle`` (1-based), ``cycle_index`` (m),
``lambda`` (percent of weights remaining), ``start`` (the digest of the cycle's start state;
a cycle restarted from another state gets a fresh study) and ``scyc_mirror_version``; its
objective is named ``val_acc``; each trial has the run's real start and end times.

Legacy studies: before this scheme the mirror named cycle m ``<study>/cycle-<m>`` and marked
nothing. The mirror is derived data (``scyc_trials`` is the truth), and a study without the
``scyc_mirror_version`` marker is never reused: the first mirroring for ``<study>`` in a
process moves every unmarked ``<study>/cycle-<k>`` to ``<study>/cycle-<k+1>`` (trials copied
with their times, ``cycle``/``cycle_index`` attributes rewritten; the old study deleted),
highest k first so an old name is only taken over once its old study has been moved. A crash
in between leaves every trial in at least one study, and the next run finishes the move.
Nothing moves before the oracle mirrors a trial of that study again (a re-run with nothing to
train mirrors nothing); ``migrate_legacy_studies(url, study)`` moves them at once.
"""

from __future__ import annotations

import math
import re
import threading
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import optuna
from optuna.distributions import FloatDistribution
from optuna.storages import RDBStorage
from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState

from scyc_tune.store._engine import database_url, is_sqlite, sqlite_file

SQLITE_TIMEOUT_S = 60
MIRROR_VERSION = 2  # 2: '<study>/cycle-<m+1>', study attrs, metric name, real trial times
MARKER = "scyc_mirror_version"
METRIC_NAMES = ["val_acc"]

_STATES = {"complete": TrialState.COMPLETE, "fail": TrialState.FAIL}
_storages: dict[str, RDBStorage] = {}
_storages_lock = threading.Lock()
_migrated: set[tuple[int, str]] = set()  # (id of the storage, study prefix) checked this process
_migrate_lock = threading.Lock()


def cycle_study_name(study: str, cycle: int) -> str:
    """The Optuna study of internal cycle ``cycle`` (0-based): ``<study>/cycle-<cycle+1>``."""
    if cycle < 0:
        raise ValueError(f"cycle index {cycle} is negative")
    return f"{study}/cycle-{cycle + 1}"


def mirror_trial(
    storage_url: str,
    study_name: str,
    grid: Sequence[float],
    max_lr: float,
    value: float | None,
    state: Literal["complete", "fail"],
    user_attrs: Mapping[str, Any],
    *,
    cycle: int,
    percent_remaining: float,
    datetime_start: datetime,
    datetime_complete: datetime,
    start: str | None = None,
) -> bool:
    """Add one run to the Optuna study ``study_name`` (direction maximize), unless already there.

    study_name: ``cycle_study_name(<study>, cycle)``, e.g. ``demo/cycle-1`` for cycle=0; created
        on first use (legacy-named studies of ``<study>`` are moved first, see the module doc).
    cycle, percent_remaining: the internal cycle index and its lambda, kept as study attributes.
    grid: the cycle's max_lr grid; ``max_lr`` is the one param, a log-scale FloatDistribution
        over the grid's range (it stays compatible when a later call brings a wider grid).
    value: the objective (validation accuracy, a fraction), required and finite for 'complete',
        ignored for 'fail'.
    user_attrs: JSON-able attributes; ``run_id`` is required and makes the call idempotent: a
        run is mirrored at most once as 'fail' and at most once as 'complete', and not as 'fail'
        after 'complete' (so a failed run retried with success shows both attempts).
    datetime_start, datetime_complete: when the run started and ended (aware, or naive local
        time); stored as Optuna stores its own, naive local time.
    start: the digest of the state the cycle starts from, kept as the study attribute
        ``start``. A study marked with another start holds the trials of a cycle that has been
        restarted from a new state (``scyc_trials`` dropped them): it is deleted and made anew,
        so the dashboard never shows a stale trial beside the current ones.
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
    prefix = _prefix_of(study_name, cycle)
    begun, ended = _local(datetime_start), _local(datetime_complete)
    if ended < begun:
        raise ValueError(f"datetime_complete {ended} is before datetime_start {begun}")

    storage = _storage(storage_url)
    study = _cycle_study(storage, prefix, cycle, float(percent_remaining), start)
    return _add_once(
        study,
        FrozenTrial(
            number=0,
            trial_id=0,
            state=_STATES[state],
            value=float(value) if state == "complete" else None,
            datetime_start=begun,
            datetime_complete=ended,
            params={"max_lr": float(max_lr)},
            distributions={"max_lr": _distribution([*grid, max_lr])},
            user_attrs=dict(user_attrs),
            system_attrs={},
            intermediate_values={},
        ),
    )


#: the study attributes ``annotate_cycle`` writes start with this (rewritten as a whole)
ANSWER_PREFIX = "answer: "


def annotate_cycle(
    storage_url: str,
    study_name: str,
    answer: Mapping[str, Any],
    *,
    cycle: int,
    percent_remaining: float,
    start: str | None = None,
) -> None:
    """Show a finished cycle's answer on its Optuna study's page (the dashboard's "Study User
    Attributes"): each key of ``answer`` becomes the attribute ``'answer: <key>'`` (JSON-able
    values). Trials cannot take attributes once finished, so what is only known when the
    cycle's last point has reported (each point's mean and std over the seeds, whether it is
    feasible, whether its seeds tell it from the best) lives on the study. An attribute of an
    earlier answer that ``answer`` lacks is set to None, so the page never mixes answers."""
    storage = _storage(storage_url)
    prefix = _prefix_of(study_name, cycle)
    study = _cycle_study(storage, prefix, cycle, float(percent_remaining), start)
    want = {f"{ANSWER_PREFIX}{k}": v for k, v in answer.items()}
    have = study.user_attrs
    for key in have:
        if key.startswith(ANSWER_PREFIX) and key not in want and have[key] is not None:
            want[key] = None
    for key, value in want.items():
        if key not in have or have[key] != value:
            study.set_user_attr(key, value)


def _prefix_of(study_name: str, cycle: int) -> str:
    """'<study>' of cycle ``cycle``'s study name '<study>/cycle-<cycle+1>' (ValueError else)."""
    suffix = cycle_study_name("", cycle)
    prefix = study_name.removesuffix(suffix)
    if not prefix or prefix == study_name:
        raise ValueError(
            f"study_name {study_name!r} is not cycle {cycle}'s study: it should end in {suffix!r}"
        )
    return prefix


def _cycle_study(
    storage: RDBStorage, prefix: str, cycle: int, percent_remaining: float, start: str | None
) -> optuna.Study:
    """The marked study of (prefix, cycle), created or described; legacy studies moved first;
    one marked with a start other than ``start`` replaced by a new one."""
    key = (id(storage), prefix)
    with _migrate_lock:
        if key not in _migrated:
            migrate_legacy_studies(storage, prefix)
            _migrated.add(key)
    study = _open(storage, prefix, cycle, percent_remaining)
    if study is None:  # an unmarked study took the name since (an older version writing)
        migrate_legacy_studies(storage, prefix)
        study = _open(storage, prefix, cycle, percent_remaining)
        if study is None:
            name = cycle_study_name(prefix, cycle)
            raise RuntimeError(f"Optuna study {name!r} exists without the {MARKER!r} marker")
    if start is not None and study.user_attrs.get("start", start) != start:
        optuna.delete_study(study_name=study.study_name, storage=storage)
        study = _open(storage, prefix, cycle, percent_remaining)
        if study is None:
            raise RuntimeError(f"Optuna study {cycle_study_name(prefix, cycle)!r} lost its marker")
    _describe(study, prefix, cycle, percent_remaining, start)
    return study


def _open(
    storage: RDBStorage, prefix: str, cycle: int, percent_remaining: float | None
) -> optuna.Study | None:
    """Load or create (described) the study of (prefix, cycle); None where it exists without
    the marker (such a study is never reused)."""
    name = cycle_study_name(prefix, cycle)
    try:
        study = optuna.load_study(study_name=name, storage=storage)
    except KeyError:
        study = optuna.create_study(
            storage=storage, study_name=name, direction="maximize", load_if_exists=True
        )
        if MARKER not in study.user_attrs and not study.trials:
            _describe(study, prefix, cycle, percent_remaining)  # the marker last
    attrs = study.user_attrs
    if MARKER not in attrs:
        return None
    if attrs.get("cycle_index") != cycle or study.direction != StudyDirection.MAXIMIZE:
        raise RuntimeError(
            f"Optuna study {name!r} is marked as cycle index {attrs.get('cycle_index')!r} "
            f"({study.direction.name}), not {cycle} (MAXIMIZE)"
        )
    return study


def _describe(
    study: optuna.Study,
    prefix: str,
    cycle: int,
    percent_remaining: float | None,
    start: str | None = None,
) -> None:
    """Name the objective and set the study attributes (the dashboard shows them on the study's
    page, under "Study User Attributes"), the marker last; only what differs is written."""
    if study.metric_names != METRIC_NAMES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study.set_metric_names(METRIC_NAMES)
    attrs: dict[str, Any] = {"study": prefix, "cycle": cycle + 1, "cycle_index": cycle}
    if percent_remaining is not None:
        attrs["lambda"] = float(percent_remaining)
    if start is not None:
        attrs["start"] = start
    attrs[MARKER] = MIRROR_VERSION
    have = study.user_attrs
    for k, v in attrs.items():
        if k not in have or have[k] != v:
            study.set_user_attr(k, v)


def migrate_legacy_studies(storage: str | RDBStorage, prefix: str) -> list[tuple[str, str]]:
    """Move every unmarked ``<prefix>/cycle-<k>`` (old scheme: internal cycle k) to
    ``<prefix>/cycle-<k+1>``, highest k first; return the (old, new) names moved.

    Trials are copied with their times and attributes (``cycle`` rewritten to k+1, plus
    ``cycle_index`` k), then the old study is deleted; one without trials is just deleted.
    """
    if isinstance(storage, str):
        storage = _storage(storage)
    pattern = re.compile(re.escape(prefix) + r"/cycle-(\d+)")
    legacy: list[tuple[int, str]] = []
    for name in optuna.get_all_study_names(storage):
        found = pattern.fullmatch(name)
        if found is None:
            continue
        if MARKER not in storage.get_study_user_attrs(storage.get_study_id_from_name(name)):
            legacy.append((int(found.group(1)), name))
    moved = []
    for k, old in sorted(legacy, reverse=True):
        source = optuna.load_study(study_name=old, storage=storage)
        trials = source.get_trials(deepcopy=True)
        if not trials:  # nothing to keep (e.g. a crash right after creating it)
            optuna.delete_study(study_name=old, storage=storage)
            continue
        new = cycle_study_name(prefix, k)
        target = _open(storage, prefix, k, _lambda_of(trials))
        if target is None:  # cannot be: an unmarked `new` is legacy k+1, moved before this one
            raise RuntimeError(f"cannot move {old!r}: {new!r} exists without the marker")
        _describe(target, prefix, k, None)  # a study made by this version knows its lambda
        for t in trials:
            t.user_attrs = {**t.user_attrs, "cycle": k + 1, "cycle_index": k}
            _add_once(target, t)
        optuna.delete_study(study_name=old, storage=storage)
        moved.append((old, new))
    return moved


def _lambda_of(trials: Sequence[FrozenTrial]) -> float | None:
    for t in trials:
        lam = t.user_attrs.get("percent_remaining")
        if isinstance(lam, int | float):
            return float(lam)
    return None


def _add_once(study: optuna.Study, trial: FrozenTrial) -> bool:
    """Add ``trial`` unless its run_id is there as COMPLETE or in the same state."""
    run_id = trial.user_attrs.get("run_id")
    mirrored = {
        t.state for t in study.get_trials(deepcopy=False) if t.user_attrs.get("run_id") == run_id
    }
    if run_id is not None and (TrialState.COMPLETE in mirrored or trial.state in mirrored):
        return False
    study.add_trial(trial)
    return True


def _distribution(values: Sequence[float]) -> FloatDistribution:
    low, high = float(min(values)), float(max(values))
    return FloatDistribution(low, high, log=low > 0)


def _local(t: datetime) -> datetime:
    """Naive local time, as Optuna stores ``datetime.now()`` (and the dashboard reads it)."""
    return t if t.tzinfo is None else t.astimezone().replace(tzinfo=None)


def _storage(url: str) -> RDBStorage:
    """One RDBStorage per database in this process (creating one checks the schema: slow)."""
    parsed = database_url(url)
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
