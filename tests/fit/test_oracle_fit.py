"""fit --mode oracle: the lexicographic score, recovery of known parameters, range errors."""

import math

import optuna
import pytest

from scyc_tune.errors import ScycError, StudyError
from scyc_tune.fit.oracle_fit import curve, fit_oracle
from scyc_tune.fit.score import Match, match
from scyc_tune.oracle.load import load_oracle
from scyc_tune.store import OracleDB
from scyc_tune.store.answer import GridPoint, OracleAnswer, Region
from scyc_tune.study import parse_study


def answer(m, lam, well_tuned, feasible, grid=()):
    """An oracle answer with these feasible values; ``grid``: its trained points."""
    points = tuple(GridPoint(g, 0.5) for g in grid)
    return OracleAnswer(m, lam, points, Region(well_tuned, 0.5, feasible, True))


TRUTH = {"epsilon": 0.12, "delta": 0.15, "q": 2, "beta": 4.5}


def test_score_is_lexicographic_inside_count_then_distance():
    oracle = [answer(0, 100, 0.1, (0.08, 0.12)), answer(1, 50, 0.2, (0.15, 0.25))]
    exact = match([0.1, 0.2], oracle)
    assert exact == Match(2, 0.0) and exact.score == 3.0
    near = match([0.09, 0.24], oracle)
    assert near.inside == 2
    assert near.msld == pytest.approx((math.log(0.9) ** 2 + math.log(1.2) ** 2) / 2)
    one_in = match([0.1, 0.3], oracle)
    assert one_in.inside == 1
    # any curve with both cycles inside beats any with one, however close
    assert one_in.score < near.score < exact.score
    assert match([0.1, 0.14], oracle).score < near.score


def test_fit_recovers_known_parameters(tmp_path, study_factory, oracle_store):
    url = f"sqlite:///{tmp_path / 'fit.db'}"
    study = study_factory()  # the study's own (paper) parameters are far from the truth
    oracle_store(url, study, TRUTH)
    with OracleDB(url) as db:
        oracle = load_oracle(db, study)
    fit = fit_oracle(study, oracle, url, n_trials=300)
    assert fit.trials == 300
    assert fit.fitted.inside == len(oracle) == 8  # every cycle inside its feasible region
    assert fit.paper_match.inside < 8
    truth_curve = curve(fit.params.model_copy(update=TRUTH), study.pruning.rate, range(8))
    fitted_curve = curve(fit.params, study.pruning.rate, range(8))
    for got, want in zip(fitted_curve, truth_curve, strict=True):
        assert got == pytest.approx(want, rel=0.1)
    assert fit.params.epsilon == pytest.approx(TRUTH["epsilon"], rel=0.1)
    # an ordinary Optuna study a fresh reader can load: paper parameters first
    loaded = optuna.load_study(study_name="synthetic/fit-oracle", storage=url)
    assert len(loaded.trials) == 300
    assert loaded.trials[0].params == {"epsilon": 0.04, "delta": 0.05, "beta": 3.0, "q": 0}
    assert loaded.best_trial.user_attrs["inside"] == 8
    # a second fit rebuilds the study rather than piling onto it
    fit_oracle(study, oracle, url, n_trials=5)
    assert len(optuna.load_study(study_name="synthetic/fit-oracle", storage=url).trials) == 5


def test_fit_without_an_oracle_says_what_to_run(tmp_path, study_factory):
    with OracleDB(f"sqlite:///{tmp_path / 'empty.db'}") as db:
        with pytest.raises(ScycError, match="run `scyc-tune oracle`"):
            load_oracle(db, study_factory())


@pytest.mark.parametrize(
    ("fit", "message"),
    [
        ({"beta": {"low": 2, "high": 6}}, "paper's range \\[3, 6\\]"),
        ({"beta": {"low": 3, "high": 7}}, "paper's range \\[3, 6\\]"),
        ({"q": [0, 4]}, "within \\[0, 3\\]"),
        ({"q": [2, 1]}, "ordered integer range"),
        ({"epsilon": {"low": 0.2, "high": 0.1}}, "high \\(0.1\\) must be >= low"),
        ({"epsilon": {"low": 0, "high": 0.1}}, "epsilon must be > 0"),
        ({"delta": {"low": 0, "high": 0.1, "step": -1}}, "greater than 0"),
        ({"schedule": "warm"}, "needs an S-Cyc schedule"),
        ({"schedule": "nope"}, "names no \\[schedules.nope\\]"),
        ({"pruner": "random"}, "median"),
    ],
)
def test_range_errors_name_the_key(study_factory, fit, message):
    with pytest.raises(StudyError, match=message) as info:
        study_factory(fit=fit)
    assert "fit" in str(info.value)


def test_narrowed_ranges_are_used(study_factory):
    study = study_factory(fit={"beta": {"low": 4, "high": 5}, "q": [1, 2]})
    assert (study.fit.beta.low, study.fit.beta.high, study.fit.q) == (4, 5, (1, 2))
    ranges = study.fit_ranges()
    assert (ranges["epsilon"].low, ranges["epsilon"].high) == (0.01, 0.3)
    assert ranges["delta"].low == 0 and ranges["delta"].high == pytest.approx(0.29)


def test_non_integer_paper_q_is_refused(tmp_path, study_factory, oracle_store):
    from scyc_tune.fit.space import paper_params

    with pytest.raises(ScycError, match="q = 1.5"):
        paper_params(study_factory(q=1.5))


def test_parse_error_is_one_line_per_problem():
    with pytest.raises(StudyError) as info:
        parse_study(
            {
                "name": "x",
                "schedule": "a",
                "schedules": {"a": {"type": "constant"}},
                "fit": {"oracle_trials": 0},
            }
        )
    assert "fit.oracle_trials" in str(info.value)


def test_inside_means_nearest_grid_point_is_feasible():
    grid = (0.04, 0.08, 0.16, 0.32)
    o = answer(2, 25, 0.16, (0.08, 0.16), grid)
    assert o.contains(0.16) and o.contains(0.08)
    assert o.contains(0.2)  # nearer (in log scale) to 0.16 than to 0.32
    assert not o.contains(0.24)  # nearer to 0.32
    assert not o.contains(0.055)  # nearer to 0.04
    assert o.contains(0.06)  # sqrt(0.04 * 0.08) = 0.0566: nearer to 0.08
    lone = answer(0, 100, 0.32, (0.32,), grid)
    assert lone.contains(0.4) and not lone.contains(0.5)  # half a step beyond the last point
    holes = answer(0, 100, 0.04, (0.04, 0.16), grid)
    assert not holes.contains(0.08)  # a hole in the feasible set stays outside
