"""S-Cyc's inside count held out: fitted on some of a replicated oracle's seeds, judged on the
regions of the seed it never saw.

The fit's own count (``fit_oracle``) is in-sample: the parameters are chosen to put the curve
inside the very regions it is then counted against. With ``[oracle] seeds = R >= 2`` each
seed r in turn is left out: S-Cyc is fitted (the same search, in memory) to the regions of the
other R - 1 seeds' means, and counted against seed r's own regions (its points alone, the same
tolerance); the paper's parameters are counted against the same held-out regions. The sum
over the R folds is out of R x cycles.

A leak to state: every seed's chain starts cycle m + 1 from its network trained at the max_lr
the oracle chose with all R seeds, the held-out one included, so the folds are not fully
independent; and one seed's region is narrower and noisier than a mean's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scyc_tune.fit.oracle_fit import curve, search
from scyc_tune.fit.score import Match, match
from scyc_tune.fit.space import paper_params
from scyc_tune.oracle.region import feasible_region
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import with_params


@dataclass(frozen=True)
class Fold:
    seed: int  # the seed left out
    params: SCycParams  # fitted to the other seeds
    fitted: Match  # the fitted curve on the left-out seed's regions
    paper: Match  # the study file's curve on the same regions


@dataclass(frozen=True)
class HeldOut:
    folds: tuple[Fold, ...]
    cycles: int  # cycles per fold

    @property
    def total(self) -> int:
        return self.cycles * len(self.folds)

    @property
    def fitted_inside(self) -> int:
        return sum(f.fitted.inside for f in self.folds)

    @property
    def paper_inside(self) -> int:
        return sum(f.paper.inside for f in self.folds)

    def sentence(self) -> str:
        per = ", ".join(f"{f.fitted.inside}" for f in self.folds)
        return (
            f"held out (each of {len(self.folds)} oracle seeds left out in turn, S-Cyc fitted "
            f"to the others' regions): inside at {self.fitted_inside} of {self.total} "
            f"seed-cycles ({per} of {self.cycles} by fold); the study file's parameters "
            f"{self.paper_inside} of {self.total} on the same regions"
        )


def with_regions(study: Study, answers: Sequence[OracleAnswer]) -> list[OracleAnswer]:
    """``answers`` with each region recomputed from its own points (the seeds they were read
    over), by the study's tolerance rule."""
    spec = study.oracle
    return [
        dataclasses.replace(
            a, region=feasible_region(a.points, spec.tolerance, spec.tolerance_mode)
        )
        for a in answers
    ]


def held_out(
    study: Study,
    answers_of: Callable[[Sequence[int]], Sequence[OracleAnswer]],
    seeds: Sequence[int],
    n_trials: int,
) -> HeldOut | None:
    """Leave-one-seed-out folds over ``seeds`` (None for fewer than 2). ``answers_of(seeds)``
    gives the finished oracle cycles with their points over those seeds; only cycles with a
    region in every fold's both halves count, up to the first that has none."""
    if len(seeds) < 2:
        return None
    halves = []
    for r in seeds:
        train = with_regions(study, answers_of([s for s in seeds if s != r]))
        test = with_regions(study, answers_of([r]))
        halves.append((r, train, test))
    n = min(len(part) for _, train, test in halves for part in (train, test))
    for _, train, test in halves:
        first_gap = next(
            (i for i in range(n) if train[i].region is None or test[i].region is None), n
        )
        n = min(n, first_gap)
    if n == 0:
        return None
    rate = study.pruning.rate
    paper = with_params(study, paper_params(study))
    folds = []
    for r, train, test in halves:
        train, test = train[:n], test[:n]
        cycles = [o.cycle for o in test]
        best = search(study, train, n_trials).best_trial.params
        params = with_params(study, best)
        folds.append(
            Fold(
                r,
                params,
                match(curve(params, rate, cycles), test),
                match(curve(paper, rate, cycles), test),
            )
        )
    return HeldOut(tuple(folds), n)
