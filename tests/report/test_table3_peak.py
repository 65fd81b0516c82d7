"""Table 3 prints the peak LR actually reached when the oracle's schedule does not fit."""

import dataclasses

import pytest

from scyc_tune.report.oracle_table import oracle_table
from scyc_tune.report.tables import oracle_markdown


def test_no_peak_row_when_the_schedule_fits(report_data):
    labels = [c.label for c in oracle_table(report_data).curves]
    assert not any(label.startswith("peak LR reached") for label in labels)


def test_a_warmup_longer_than_the_cycle_adds_the_peak_reached(report_data):
    study = report_data.study
    warm = study.schedules["warm"].model_copy(update={"b": 200})  # the cycle has 20 iterations
    short = study.model_copy(update={"schedules": {**study.schedules, "warm": warm}})
    table = oracle_table(dataclasses.replace(report_data, study=short))
    [row] = [c for c in table.curves if c.label == "peak LR reached (well-tuned)"]
    well = [c.well_tuned for c in table.columns]
    # the ramp peaks at iteration 14, the last before the 10x drop at c = 15
    assert row.values == tuple(pytest.approx(v * 14 / 200) for v in well)
    assert set(row.inside) == {None}
    assert "| peak LR reached (well-tuned) |" in oracle_markdown(table)
