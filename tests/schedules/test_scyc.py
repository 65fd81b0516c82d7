"""S-Cyc's max_lr per cycle, against exact values for the paper's parameter sets.

Expected values were computed with exact rational arithmetic from the equivalent form
delta * g**beta / (g**beta + (1 - g)**beta) + epsilon (g = gamma), rounded to 6 digits.
"""

import pytest

from scyc_tune.schedules import make_schedule, scyc_max_lr
from scyc_tune.schedules.scyc import SCycParams

PAPER_SETS = {
    # name: (epsilon, delta, q, beta), p = 0.2, cycles m = 0 .. 13
    "table2a_resnet20": (
        (3e-2, 4e-2, 1, 5),
        [
            0.03,
            0.03,
            0.030039,
            0.0321325,
            0.047611,
            0.0644614,
            0.0689294,
            0.0697749,
            0.0699474,
            0.0699867,
            0.0699964,
            0.069999,
            0.0699997,
            0.0699999,
        ],
    ),  # noqa: E501
    "table2b_vgg19": (
        (4e-2, 6e-2, 1, 4),
        [
            0.04,
            0.04,
            0.0402335,
            0.0454601,
            0.0671283,
            0.0887147,
            0.0967952,
            0.0990591,
            0.0997039,
            0.0999011,
            0.0999654,
            0.0999874,
            0.0999953,
            0.0999982,
        ],
    ),  # noqa: E501
    "table2c_resnet50": (
        (5e-2, 5e-2, 2, 5),
        [
            0.05,
            0.05,
            0.05,
            0.0500488,
            0.0526656,
            0.0720137,
            0.0930767,
            0.0986617,
            0.0997186,
            0.0999343,
            0.0999834,
            0.0999955,
            0.0999987,
            0.0999996,
        ],
    ),  # noqa: E501
    "table5_adam": (
        (3e-3, 4e-3, 1, 4),
        [
            0.003,
            0.003,
            0.00301556,
            0.00336401,
            0.00480855,
            0.00624764,
            0.00678634,
            0.00693727,
            0.00698026,
            0.0069934,
            0.00699769,
            0.00699916,
            0.00699969,
            0.00699988,
        ],
    ),  # noqa: E501
    "table6_rmsprop": (
        (1e-3, 2e-3, 2, 5),
        [
            0.001,
            0.001,
            0.001,
            0.00100195,
            0.00110662,
            0.00188055,
            0.00272307,
            0.00294647,
            0.00298874,
            0.00299737,
            0.00299933,
            0.00299982,
            0.00299995,
            0.00299999,
        ],
    ),  # noqa: E501
    "table10_vgg19": (
        (4e-2, 6e-2, 2, 4),
        [
            0.04,
            0.04,
            0.04,
            0.0402335,
            0.0454601,
            0.0671283,
            0.0887147,
            0.0967952,
            0.0990591,
            0.0997039,
            0.0999011,
            0.0999654,
            0.0999874,
            0.0999953,
        ],
    ),  # noqa: E501
}


@pytest.mark.parametrize("name", sorted(PAPER_SETS))
def test_paper_parameter_sets_over_14_cycles(name):
    (epsilon, delta, q, beta), expected = PAPER_SETS[name]
    params = SCycParams(epsilon=epsilon, delta=delta, q=q, beta=beta)
    got = [make_schedule(params, m, 0.2).max_lr for m in range(14)]
    assert got == pytest.approx(expected, rel=1e-5)


def test_issue_example_to_four_significant_digits():
    assert f"{scyc_max_lr(0.04, 0.06, 1, 4, 0.2, 3):.4g}" == "0.04546"


def test_table3_scyc_row_matches_paper_rounding():
    # Table 3 (VGG-19): S-Cyc x 1e-2 at lambda = 100, 64, 51.3, 41.1, 32.9, 21.1, 5.72
    cycles = [0, 2, 3, 4, 5, 7, 13]
    paper = [4, 4.02, 4.5, 6.7, 8.8, 9.9, 9.99]
    got = [100 * scyc_max_lr(0.04, 0.06, 1, 4, 0.2, m) for m in cycles]
    assert got == pytest.approx(paper, abs=0.1)


def test_no_growth_phase_is_epsilon_exactly():
    for m in range(3):
        assert scyc_max_lr(0.05, 0.05, 2, 5, 0.2, m) == 0.05


def test_max_lr_is_increasing_and_bounded():
    values = [scyc_max_lr(0.03, 0.04, 0, 3, 0.3, m) for m in range(30)]
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    assert values[0] == 0.03 and values[-1] < 0.07


def test_scyc_schedule_is_warmup_with_that_peak():
    params = SCycParams(epsilon=0.04, delta=0.06, q=1, beta=4, b=10, c=20, d=30, e="Nil")
    schedule = make_schedule(params, 3, 0.2)
    peak = scyc_max_lr(0.04, 0.06, 1, 4, 0.2, 3)
    assert schedule.lr(0) == 0.0
    assert schedule.lr(5) == pytest.approx(peak / 2)
    assert schedule.lr(10) == pytest.approx(peak)
    assert schedule.lr(20) == pytest.approx(peak / 10)
    assert schedule.lr(35) == pytest.approx(peak / 100)
