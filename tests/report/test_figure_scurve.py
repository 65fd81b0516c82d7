"""The S-curve: max_lr in hundredths like the heat map and the tables; the phases named in the
legend, never as text on the bands (which overlapped on a narrow page)."""

import pytest

from scyc_tune.report.figures.scurve import PHASES, phase_spans, scurve_figure, smooth_max_lr

FITTED = {"epsilon": 0.03, "delta": 0.06, "q": 0.5, "beta": 4, "b": 5, "c": 15, "d": "Nil"}


def test_max_lr_is_in_hundredths(report_data):
    fig = scurve_figure(report_data)
    assert fig.layout.yaxis.title.text == "max_lr (x 1e-2)"
    paper = report_data.scyc_paper
    (line,) = [t for t in fig.data if t.name == "S-Cyc (study file)"]
    rate = report_data.study.pruning.rate
    assert list(line.y) == pytest.approx([100 * smooth_max_lr(paper, x, rate) for x in line.x])
    assert line.y[0] == pytest.approx(4.0)  # epsilon = 0.04
    (well,) = [t for t in fig.data if t.name == "oracle well-tuned"]
    assert list(well.y) == pytest.approx([4.0, 8.0, 8.0])
    markers = [t for t in fig.data if t.mode == "markers" and t.hovertemplate]
    assert all("e-2" in t.hovertemplate for t in markers)


def test_phases_are_legend_entries_not_overlapping_labels(make_data):
    data = make_data(fitted=FITTED)
    fig = scurve_figure(data)
    assert fig.layout.annotations == ()
    rate, last = data.study.pruning.rate, data.cycles - 1
    xs = [i / 40 for i in range(last * 40 + 1)]
    spans = phase_spans(data.scyc_fitted("oracle"), xs, rate)
    assert [k for k, _, _ in spans] == [0, 1, 2, 3]  # this fit has all four
    # the bands tile [0, last] without gaps
    assert spans[0][1] == 0 and spans[-1][2] == last
    assert all(a[2] == b[1] for a, b in zip(spans, spans[1:], strict=False))
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(x0, x1) for _, x0, x1 in spans]
    legend = [t.name for t in fig.data if t.legendgroup == "phases"]
    assert legend == [f"phase: {p}" for p in PHASES]
    assert fig.layout.legend.orientation == "h"
