"""S-Cyc's inside count held out: leave one oracle seed out, fit to the others' regions, count
on the left-out seed's own regions (hand-made per-seed tables)."""

import math

from scyc_tune.fit.held_out import held_out, with_regions
from scyc_tune.fit.oracle_fit import curve
from scyc_tune.fit.score import match
from scyc_tune.fit.space import paper_params
from scyc_tune.schedules.scyc import scyc_max_lr
from scyc_tune.store.answer import GridPoint, OracleAnswer
from scyc_tune.study.fit_schedule import with_params

GRID = (0.04, 0.06, 0.09, 0.135, 0.2, 0.3)  # factors of 1.5
TRUTH = (0.12, 0.15, 2, 4.5)  # epsilon, delta, q, beta
CYCLES = 4
RATE = 0.5


def peaked(peak: float, offset: float) -> dict[float, float]:
    """Accuracies falling 5 points per unit of |ln(max_lr / peak)|: with a 0.5% relative
    tolerance only the grid point nearest the peak is feasible."""
    return {v: 0.8 + offset - 0.05 * abs(math.log(v / peak)) for v in GRID}


def truth(m: int) -> float:
    return scyc_max_lr(TRUTH[0], TRUTH[1], TRUTH[2], TRUTH[3], RATE, m)


def table(peaks_by_seed: dict[int, list[float]]) -> dict[int, list[dict[float, float]]]:
    return {s: [peaked(p, 0.001 * s) for p in peaks] for s, peaks in peaks_by_seed.items()}


def answers_of(tables, missing=()):
    """``answers_of(seeds)`` as the store gives it: each cycle's points over those seeds (mean
    and std), no region (held_out recomputes it); (seed, cycle) in ``missing`` has no run."""

    def answers(seeds):
        out = []
        for m in range(CYCLES):
            points = []
            for v in GRID:
                runs = [(tables[s][m][v], "complete") for s in seeds if (s, m) not in missing]
                points.append(GridPoint.of_runs(v, runs))
            out.append(OracleAnswer(m, 100 * (1 - RATE) ** m, tuple(points), None))
        return out

    return answers


def test_regions_are_recomputed_from_the_seeds_read(study_factory):
    study = study_factory()  # tolerance 0.5, relative
    points = (GridPoint(0.04, 0.80), GridPoint(0.06, 0.797), GridPoint(0.09, 0.79))
    (a,) = with_regions(study, [OracleAnswer(0, 100, points, None)])
    # 0.5% of 0.80 is 0.004: 0.797 is feasible, 0.79 is not
    assert a.region.well_tuned == 0.04 and a.region.values == (0.04, 0.06)
    points = (GridPoint(0.04, None, "missing"),)
    assert with_regions(study, [OracleAnswer(0, 100, points, None)])[0].region is None


def test_seeds_that_agree_put_the_held_out_fit_inside_every_left_out_region(study_factory):
    study = study_factory()
    tables = table({s: [truth(m) for m in range(CYCLES)] for s in (1, 2, 3)})
    held = held_out(study, answers_of(tables), [1, 2, 3], n_trials=200)
    assert held.cycles == CYCLES and held.total == 12 and [f.seed for f in held.folds] == [1, 2, 3]
    assert held.fitted_inside == 12
    # the study file's parameters, counted on the same left-out regions
    paper = with_params(study, paper_params(study))
    want = 0
    for r in (1, 2, 3):
        test = with_regions(study, answers_of(tables)([r]))
        want += match(curve(paper, RATE, range(CYCLES)), test).inside
    assert held.paper_inside == want < 12
    assert "inside at 12 of 12 seed-cycles (4, 4, 4 of 4 by fold)" in held.sentence()


def test_a_left_out_seed_that_disagrees_is_not_fitted_to(study_factory):
    study = study_factory()
    # seeds 1 and 2 peak at S-Cyc(TRUTH); seed 3 at the grid's smallest value every cycle
    tables = table({1: [truth(m) for m in range(CYCLES)], 2: [truth(m) for m in range(CYCLES)]})
    tables |= table({3: [0.04] * CYCLES})
    held = held_out(study, answers_of(tables), [1, 2, 3], n_trials=200)
    by_seed = {f.seed: f for f in held.folds}
    assert by_seed[3].fitted.inside == 0  # fitted to 1 and 2: never at 0.04
    assert held.fitted_inside < held.total


def test_one_seed_has_no_folds_and_a_cycle_missing_in_one_half_ends_the_count(study_factory):
    study = study_factory()
    tables = table({s: [truth(m) for m in range(CYCLES)] for s in (1, 2)})
    assert held_out(study, answers_of(tables), [1], n_trials=10) is None
    held = held_out(study, answers_of(tables, missing={(2, 2)}), [1, 2], n_trials=50)
    assert held.cycles == 2 and held.total == 4  # cycle 2 of seed 2 never ran


def test_the_fit_is_repeatable(study_factory):
    study = study_factory()
    tables = table({s: [truth(m) for m in range(CYCLES)] for s in (1, 2, 3)})
    a = held_out(study, answers_of(tables), [1, 2, 3], 30)
    assert a == held_out(study, answers_of(tables), [1, 2, 3], 30)  # TPE seeded by the study
