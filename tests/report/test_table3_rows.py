"""Table 3 shows the max_lr of every Table 2 row that has one (issue 14, item 4): the study
file's LR-warmup (LR-warmup-1) beside the tuned rows, marked against the region where it is
the oracle's family, other families unmarked."""

import dataclasses

from scyc_tune.compare.driver import Comparison
from scyc_tune.compare.rows import BENCHMARK, TUNED_NOTE, CompareRow, Plan
from scyc_tune.report.oracle_table import oracle_table
from scyc_tune.report.tables import oracle_markdown


def test_every_benchmark_row_of_table_2_has_its_max_lr_in_table_3(report_data):
    study = report_data.study
    warm = study.schedules["warm"]  # a = 0.05, the oracle's family
    constant = study.schedules["constant"].with_max_lr(0.02)
    rows = (
        CompareRow("warm", "LR-warmup-1 (5e-2)", BENCHMARK, (warm,) * 3, "study file"),
        CompareRow("constant", "constant LR, tuned (2e-2)", BENCHMARK, (constant,) * 3,
                   TUNED_NOTE),
    )  # fmt: skip
    from scyc_tune.schedules.lr_range_test import LRRangeTestParams

    lrrt = LRRangeTestParams(b=5, c=15, d=None)  # its max_lr is measured: no field to read
    rows += (CompareRow("lrrt", "LR range test", BENCHMARK, (lrrt,) * 3, "study file"),)
    comparison = Comparison(Plan(rows, 3, ()), (0,), {})
    table = oracle_table(dataclasses.replace(report_data, comparison=comparison))
    by_label = {c.label: c for c in table.curves}
    warmup = by_label["LR-warmup-1"]
    assert warmup.values == (0.05, 0.05, 0.05)
    # 0.05 counts as its nearest grid point in log scale, 0.04: feasible in cycle 0 (0.04 and
    # 0.08), not in cycle 1 (0.02 and 0.08, 0.04 a hole) nor in cycle 2 (0.08 alone)
    assert warmup.inside == (True, False, False)
    tuned = by_label["constant LR, tuned"]
    assert tuned.values == (0.02, 0.02, 0.02) and tuned.inside == (None, None, None)
    assert "LR range test" not in by_label  # measured on the oracle's starts, a row of its own
    text = oracle_markdown(table)
    assert "| LR-warmup-1 |" in text and "| constant LR, tuned |" in text


def test_a_replicated_oracle_shows_the_points_its_seeds_cannot_tell_from_the_best(report_data):
    """Issue 14, item 1: the significance verdict in the tables. 0.08 and 0.32 are within
    their seeds' noise of the best (0.04); 0.16 and 0.02 are below it at p < 0.05, and 0.16
    lies between the tied points, so the span is marked *."""
    from scyc_tune.oracle.region import feasible_region
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.report.tables import oracle_latex
    from scyc_tune.store.answer import GridPoint, OracleAnswer

    points = (
        GridPoint(0.02, 0.80, std=0.01, n=3),
        GridPoint(0.04, 0.90, std=0.01, n=3),
        GridPoint(0.08, 0.895, std=0.02, n=3),
        GridPoint(0.16, 0.85, std=0.005, n=3),
        GridPoint(0.32, 0.89, std=0.05, n=3),
    )
    study = report_data.study
    answer = OracleAnswer(0, 100.0, points, feasible_region(points, 0.5, "points"))
    table = table3(study, [answer], 2)
    assert table.columns[0].tied == (0.04, 0.08, 0.32)
    assert table.columns[0].tied_contiguous is False and table.columns[1].tied is None
    text = oracle_markdown(table)
    assert "| Not distinguishable (p 0.05) | [4, 32]* | – |" in text
    assert "one-sided Welch t-test over the seeds" in text
    assert "Not distinguishable (p 0.05) & [4, 32]* &" in oracle_latex(table)
    single = OracleAnswer(0, 100.0, tuple(GridPoint(p.max_lr, p.val_acc) for p in points),
                          feasible_region(points, 0.5, "points"))  # fmt: skip
    assert "Not distinguishable" not in oracle_markdown(table3(study, [single], 1))
