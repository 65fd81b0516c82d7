"""The findings quote every difference and count with what it is worth: seeds and std for the
accuracy, the single-seed oracle and one validation example's worth for "inside k of n"."""

import tomllib

import pytest

from scyc_tune.report.comparison_table import accuracy_table
from scyc_tune.report.findings import (
    accuracy_findings,
    gradient_findings,
    inside_findings,
    validation_size,
)
from scyc_tune.report.oracle_table import oracle_table
from scyc_tune.study.load import parse_study


def table2(data):
    return accuracy_table(data.comparison, data.study.pruning.rate)


def test_inside_counts_say_single_seed_and_what_one_example_is_worth(report_data):
    assert inside_findings(report_data, oracle_table(report_data)) == [
        f"{label}: inside the feasible region at 3 of 3 cycles; a single-seed oracle (seed 0), "
        "where one of the 359 validation examples is worth 0.28 points and the 0.5-point "
        "tolerance 1.79 examples."
        for label in ("S-Cyc (study file)", "auto")
    ]


@pytest.mark.parametrize(
    ("data", "n_val"),
    [
        ({"name": "digits"}, 359),  # 1797 examples
        ({"name": "digits", "num_samples": 1000}, 200),
        ({"name": "mnist1d"}, 1000),  # 5000 generated
        ({"name": "mnist1d", "mnist1d_samples": 4005}, 800),  # 400 per class
        ({"name": "cifar10"}, 12000),
        ({"name": "fashion_mnist"}, 14000),
    ],
)
def test_validation_size(sample, data, n_val):
    raw = tomllib.loads(sample.STUDY)
    raw["data"] = data
    assert validation_size(parse_study(raw)) == n_val


def test_accuracy_difference_with_std_seeds_and_noise_word(report_data):
    assert accuracy_findings(report_data, table2(report_data)) == [
        "S-Cyc: +1.0 points against the best benchmark (LR-warmup) at the lowest lambda (25): "
        "85.5 ± 0.7 vs 84.5 ± 0.7% (mean ± std over 2 seeds each), more than one std apart; "
        "ahead at 2 of 3 lambdas, by more than one std at 1 of them."
    ]


def test_a_difference_within_one_std_is_called_noise(make_data, sample):
    accuracy = {k: dict(v) for k, v in sample.ACCURACY.items()}
    accuracy["s-cyc"] = {0: (92.0, 90.0, 84.0), 1: (92.0, 90.4, 86.0)}  # 85.0 ± 1.41
    data = make_data(accuracy=accuracy)
    (finding,) = accuracy_findings(data, table2(data))
    assert finding == (
        "S-Cyc: +0.5 points against the best benchmark (LR-warmup) at the lowest lambda (25): "
        "85.0 ± 1.4 vs 84.5 ± 0.7% (mean ± std over 2 seeds each), within one std: within the "
        "noise; ahead at 2 of 3 lambdas, by more than one std at 0 of them."
    )


def test_a_single_seed_has_no_noise_estimate(make_data, sample):
    accuracy = {k: {0: v[0]} for k, v in sample.ACCURACY.items()}
    data = make_data(accuracy=accuracy)
    (finding,) = accuracy_findings(data, table2(data))
    assert "85.0 vs 84.0% (mean ± std over 1 seed each)" in finding
    assert "a single seed on at least one side: no estimate of the noise" in finding
    assert finding.endswith("by more than one std at 0 of them.")


def test_distribution_findings_say_one_network_per_lambda(report_data):
    summary = gradient_findings(report_data)
    assert len(summary) == 2
    assert all(
        "; one trained network per lambda (a single seed: no estimate of the noise); the "
        "confound: " in s
        for s in summary
    )
    assert "the loss gradients scale with it" in summary[0]  # weight gradients
    assert "fewer surviving weights per unit" in summary[1]  # hidden representations
    per_lambda = gradient_findings(report_data, per_lambda=True)[2:]
    assert len(per_lambda) == 4
    assert all(s.endswith("(one network, 4,000 values)") for s in per_lambda)


def test_a_relative_tolerance_is_said_in_points_at_the_best(report_data):
    import dataclasses

    oracle = report_data.study.oracle.model_copy(update={"tolerance_mode": "relative"})
    data = dataclasses.replace(
        report_data, study=report_data.study.model_copy(update={"oracle": oracle})
    )
    (line, _) = inside_findings(data, oracle_table(data))
    assert "the 0.5% tolerance (0.47 points at 93.0%) 1.67 examples." in line


def test_the_trend_of_the_well_tuned_max_lr_comes_with_its_interval(report_data):
    from dataclasses import replace

    from scyc_tune.report.findings import trend_findings

    # the sample's 3 cycles: a rho, but too few cycles for an interval
    assert trend_findings(report_data) == [
        "Spearman's rho of the well-tuned max_lr with the cycle: 0.87 over 3 cycles (a "
        "single-seed oracle (seed 0)); too few cycles for an interval."
    ]
    # six cycles rising step by step: the interval is above 0
    base = report_data.oracle[0]
    rising = [
        replace(base, cycle=m, region=replace(base.region, well_tuned=v))
        for m, v in enumerate([0.02, 0.04, 0.04, 0.08, 0.1, 0.16])
    ]
    (line,) = trend_findings(replace(report_data, oracle=rising))
    assert line.startswith("Spearman's rho of the well-tuned max_lr with the cycle: 0.99 over 6")
    assert line.endswith("(a single-seed oracle (seed 0)): it rises with sparsity.")
    flat = [replace(a, region=replace(a.region, well_tuned=0.05)) for a in rising]
    assert trend_findings(replace(report_data, oracle=flat)) == [
        "The well-tuned max_lr is 0.05 at all 6 finished cycles."
    ]


def test_the_held_out_count_follows_the_in_sample_ones(report_data):
    import dataclasses

    from scyc_tune.fit.held_out import Fold, HeldOut
    from scyc_tune.fit.score import Match

    params = report_data.scyc_paper
    folds = tuple(Fold(s, params, Match(k, 0.1), Match(1, 0.5)) for s, k in ((0, 2), (1, 3)))
    data = dataclasses.replace(report_data, held_out=HeldOut(folds, 3))
    lines = inside_findings(data, oracle_table(data))
    assert lines[:-1] == inside_findings(report_data, oracle_table(report_data))
    assert lines[-1] == (
        "S-Cyc fitted, held out (each of 2 oracle seeds left out in turn, S-Cyc fitted to the "
        "others' regions): inside at 5 of 6 seed-cycles (2, 3 of 3 by fold); the study file's "
        "parameters 2 of 6 on the same regions."
    )
