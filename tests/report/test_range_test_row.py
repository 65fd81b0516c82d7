"""The LR range test's max_lr per oracle cycle (measured on the oracle's start states) is a
row of Table 3, marked inside or outside each cycle's region, and a curve of the heat map."""

import dataclasses
import math

import pytest

from scyc_tune.report.figures.heatmap import oracle_heatmap
from scyc_tune.report.oracle_table import oracle_table


def test_table3_and_the_heat_map_show_the_range_tests_max_lr(report_data):
    assert "LR range test" not in str([c.label for c in oracle_table(report_data).curves])
    data = dataclasses.replace(report_data, range_test_curve=("lrrt", [0.04, 0.9, 0.08]))
    table = oracle_table(data)
    [row] = [c for c in table.curves if c.label == "LR range test (lrrt)"]
    assert row.values == (0.04, 0.9, 0.08)
    done = {o.cycle: o for o in data.oracle}
    assert row.inside == tuple(done[m].contains(v) for m, v in enumerate(row.values))
    assert row.inside[1] is False  # 0.9 is far above every region of the sample
    [trace] = [t for t in oracle_heatmap(data).data if t.name == "LR range test (lrrt)"]
    assert list(trace.y) == pytest.approx([math.log10(v) for v in (0.04, 0.9, 0.08)])
