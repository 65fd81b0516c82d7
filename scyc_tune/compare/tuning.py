"""The benchmarks' LR, grid-tuned on the unpruned network before the comparison runs.

The paper's Section 5.1: "for the other schedules without a single 'best' LR in the
literature, we tune the value of LR for each of them via a grid search ... using the
validation accuracy of the unpruned network". Every constant, decay, cyclical and 1-cycle row
of ``[compare] schedules`` is trained for cycle 0 at the study seed (the oracle's first seed)
with its LR (``max_lr_field``: constant's and decay's ``a``, cyclical's upper bound ``b``,
1-cycle's peak) at each value of ``[compare] tune_grid`` (default: the oracle's grid), and its
row then uses the value with the best validation accuracy (the oracle's rule: the smallest LR
on ties, diverged values never). Warmups are LR-warmup-1 as written and LR-warmup-2 tuned by
the oracle's cycle 0; S-Cyc, ``auto`` and the LR range test set their own max_lr.

A tuning run is a one-cycle comparison run, stored under its cycle key like any other, so a
row run at the study seed (``held_out = false``) finds its cycle 0 trained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scyc_tune.compare.keys import cycle_keys
from scyc_tune.oracle.region import GridPoint, well_tuned
from scyc_tune.schedules import ScheduleParams
from scyc_tune.store import CompareRunRow
from scyc_tune.study import Study

#: the schedule types whose LR the comparison tunes (warmups: LR-warmup-1 / LR-warmup-2)
TUNED_TYPES = frozenset({"constant", "decay", "cyclical", "onecycle"})


@dataclass(frozen=True)
class TuningRun:
    label: str  # the benchmark row it tunes
    lr: float
    schedule: ScheduleParams  # the row's schedule with its LR set to ``lr``

    @property
    def row_label(self) -> str:
        """What the run is stored under in the comparison table ('constant@0.08')."""
        return f"{self.label}@{self.lr:g}"


@dataclass(frozen=True)
class Tuned:
    """One benchmark's tuning: the chosen LR once every grid value is stored."""

    label: str
    lr: float | None  # None: not finished, or every value diverged
    done: int  # grid values stored
    total: int

    def missing_line(self) -> str:
        if self.done < self.total:
            return (
                f"{self.label}: its LR tuning on the unpruned network has {self.done} of "
                f"{self.total} values (run `scyc-tune compare`)"
            )
        return f"{self.label}: every LR of its tuning grid diverged on the unpruned network"


def tuned_labels(study: Study) -> list[str]:
    """The comparison's rows whose LR is tuned (none unless ``[compare] tune_benchmarks``)."""
    if not study.compare.tune_benchmarks:
        return []
    labels = study.compare.schedules
    if labels is None:
        labels = list(study.schedules)
    return [label for label in labels if study.schedules[label].type in TUNED_TYPES]


def tuning_grid(study: Study) -> list[float]:
    return study.compare.tune_grid or study.oracle.grid_values()


def tuning_runs(study: Study) -> list[TuningRun]:
    """Every (row, LR) the tuning trains, in table then grid order."""
    return [
        TuningRun(label, lr, study.schedules[label].with_max_lr(lr))
        for label in tuned_labels(study)
        for lr in tuning_grid(study)
    ]


def tuning_key(study: Study, run: TuningRun) -> str:
    """The run's cycle key: cycle 0 at the study seed with the tuned schedule."""
    return cycle_keys(study, study.seed, [run.schedule])[0]


def tuned(study: Study, stored: Mapping[str, CompareRunRow]) -> dict[str, Tuned]:
    """Each tuned row's outcome from the stored comparison cycles (trains nothing)."""
    by_label: dict[str, list[GridPoint]] = {}
    for run in tuning_runs(study):
        points = by_label.setdefault(run.label, [])
        hit = stored.get(tuning_key(study, run))
        if hit is not None:
            status = "diverged" if hit.diverged else "complete"
            points.append(GridPoint(run.lr, hit.val_acc, status))
    total = len(tuning_grid(study))
    out = {}
    for label, points in by_label.items():
        best = well_tuned(points) if len(points) == total else None
        out[label] = Tuned(label, None if best is None else best.max_lr, len(points), total)
    return out
