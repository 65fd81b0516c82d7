"""Smith's LR range test (issue 14, item 4's LR-range-test row): the suggestion rules on
hand-made loss curves, the test on a toy network, and the lr_range_test schedule through
cycle_job and prune."""

import math

import pytest
import torch

from scyc_tune.compare.rows import BENCHMARK, plan_rows
from scyc_tune.engine import cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.engine.lr_range_test import exponential_lrs, lr_range_test, suggest
from scyc_tune.runs.chain import run_pruning
from scyc_tune.runs.identity import run_id

LRRT = {"type": "lr_range_test", "lr_start": 1e-4, "lr_end": 10.0, "steps": 40,
        "b": 10, "c": 50, "d": "Nil"}  # fmt: skip


def test_the_lrs_grow_by_equal_ratios_from_start_to_end():
    lrs = exponential_lrs(1e-4, 1.0, 5)
    assert lrs[0] == 1e-4 and lrs[-1] == pytest.approx(1.0, rel=1e-12)
    assert [b / a for a, b in zip(lrs[:-1], lrs[1:], strict=True)] == pytest.approx(
        [10.0] * 4, rel=1e-12
    )


def test_the_steepest_rule_is_lightnings_and_the_minimum_rule_fastais():
    lrs = [float(i) for i in range(1, 21)]
    # 10 points skipped at the start, the last one at the end: the curve read is 10..18
    losses = [9.0] * 10 + [5, 4.9, 4.5, 3.0, 2.9, 2.8, 2.8, 3, 4] + [0.1]
    # np.gradient of [5, 4.9, 4.5, 3.0, 2.9, ...]: -0.1, -0.25, -0.95, -0.8, -0.1, ...
    assert suggest(lrs, losses, "steepest") == lrs[12]
    assert suggest(lrs, losses, "minimum") == lrs[19] / 10  # the lowest point, over 10
    with pytest.raises(ValueError, match="too few for the steepest-descent rule"):
        suggest(lrs[:12], losses[:12], "steepest")
    with pytest.raises(ValueError, match="unknown LR range test rule"):
        suggest(lrs, losses, "valley")


def test_the_test_is_a_pure_function_of_the_start_state(study_factory):
    study = study_factory()
    start = initial_state(study.data, study.model, study.seed)
    digest = start.digest()
    torch.manual_seed(123)
    before = torch.get_rng_state()
    kw = dict(lr_start=1e-4, lr_end=10.0, steps=40, rule="steepest")
    args = (start, study.data, study.model, study.training, study.seed, 0)
    a = lr_range_test(*args, **kw)
    assert torch.equal(torch.get_rng_state(), before)  # the caller's RNG is left alone
    b = lr_range_test(*args, **kw)
    assert a == b and start.digest() == digest
    assert a.suggestion in a.lrs and all(math.isfinite(v) for v in a.losses)
    assert list(a.lrs) == exponential_lrs(1e-4, 10.0, 40)[: len(a.lrs)]
    # an LR of 10 blows a digits FC net up: the test stops once the loss is 4x its best
    assert len(a.lrs) < 40 and a.losses[-1] > 4 * min(a.losses[:-1])
    assert 1e-3 < a.suggestion < 10.0
    other = lr_range_test(*args[:-1], 1, **kw)  # cycle 1 draws other batches
    assert other.losses != a.losses


def test_the_schedule_trains_each_cycle_at_the_tests_suggestion(study_factory):
    study = study_factory(schedules={"lrrt": LRRT}, schedule="lrrt")
    records = run_pruning(study, cycles=2, device="cpu")
    start = initial_state(study.data, study.model, study.seed)
    kw = dict(lr_start=1e-4, lr_end=10.0, steps=40, rule="steepest")
    first = lr_range_test(start, study.data, study.model, study.training, study.seed, 0, **kw)
    assert records[0].max_lr == first.suggestion
    job0 = cycle_job(study, 0)
    assert job0.range_test_lr == first.suggestion
    trained = train_cycle(job0, start, "cpu").state
    start1 = next_start_state(trained, study.pruning, study.data, study.model, study.seed, 32)
    second = lr_range_test(start1, study.data, study.model, study.training, study.seed, 1, **kw)
    assert records[1].max_lr == second.suggestion
    job1 = cycle_job(study, 1, start=start1)
    assert job1.build_schedule().max_lr == second.suggestion
    # the suggestion is part of the run's identity, as auto's measured spread is
    moved = job1.model_copy(update={"range_test_lr": second.suggestion * 2})
    assert run_id(job1, start1.digest()) != run_id(moved, start1.digest())
    with pytest.raises(ValueError, match="start state"):
        cycle_job(study, 1)


def test_the_comparison_has_an_lr_range_test_row(study_factory):
    study = study_factory(
        schedules={"lrrt": LRRT, "rule-min": {**LRRT, "rule": "minimum"}},
        compare={"schedules": ["warm", "lrrt", "rule-min"], "oracle_row": False},
    )
    plan = plan_rows(study, [], {})
    by_label = {r.label: r for r in plan.rows}
    assert by_label["lrrt"].title == "LR range test (1e-4, 10, 40, steepest, 10, 50, Nil, Nil)"
    assert by_label["rule-min"].title.endswith("minimum, 10, 50, Nil, Nil)")
    assert by_label["lrrt"].kind == BENCHMARK and by_label["lrrt"].note == "study file"


def test_a_range_that_does_not_grow_is_refused():
    from pydantic import ValidationError

    from scyc_tune.schedules.lr_range_test import LRRangeTestParams

    with pytest.raises(ValidationError, match=r"lr_end \(0.1\) must be > lr_start \(1.0\)"):
        LRRangeTestParams(lr_start=1.0, lr_end=0.1)
    with pytest.raises(ValidationError, match="steps"):
        LRRangeTestParams(steps=12)  # the steepest rule skips 11 points
