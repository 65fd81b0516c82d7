"""Fig. 1: every lambda on one common x-range per panel (not the sparsest network's min/max),
densities that integrate to 1, titled axes on both panels."""

import pytest

from scyc_tune.report.figures.distributions import density_steps, distribution_figure, window


def panel(fig, axis):
    return [t for t in fig.data if t.xaxis == axis]


def q99(d):
    return d.abs_quantiles[d.quantile_levels.index(0.99)]


def test_all_lambdas_share_one_range_per_panel(report_data):
    fig = distribution_figure(report_data)
    cycles = report_data.distributions.cycles
    grads, hidden = [c[2] for c in cycles], [c[3] for c in cycles]
    assert len(panel(fig, "x")) == len(panel(fig, "x2")) == len(cycles)
    r = max(q99(d) for d in grads)
    assert list(fig.layout.xaxis.range) == pytest.approx([-r, r])
    assert tuple(fig.layout.xaxis.range) == pytest.approx(window(grads))
    lo, hi = fig.layout.xaxis2.range
    assert lo == 0.0  # ReLU outputs: nothing below 0 to show
    assert hi == pytest.approx(max(q99(d) for d in hidden))
    # at least 99% of every lambda's values lie in the range
    assert all(q99(d) <= r for d in grads)


def test_the_sparsest_networks_outliers_do_not_set_the_range(report_data):
    fig = distribution_figure(report_data)
    sparsest = report_data.distributions.cycles[-1][2].histogram
    lo, hi = fig.layout.xaxis.range
    assert hi - lo < (sparsest.edges[-1] - sparsest.edges[0]) / 50
    # the other lambdas are spread over the range, not squeezed into a spike at 0
    for _, _, grad, _ in report_data.distributions.cycles[:-1]:
        inside = [e for e in grad.histogram.edges if lo <= e <= hi]
        assert len(inside) >= 8


def test_densities_integrate_to_one_and_are_drawn_as_steps(report_data):
    fig = distribution_figure(report_data)
    for _, _, grad, hidden in report_data.distributions.cycles:
        for dist in (grad, hidden):
            x, y = density_steps(dist)
            assert x == list(dist.histogram.edges) and len(y) == len(x)
            area = sum(d * (b - a) for d, a, b in zip(y[:-1], x[:-1], x[1:], strict=True))
            assert area == pytest.approx(1.0)
    assert all(t.line.shape == "hv" for t in fig.data)


def test_both_panels_have_axis_titles_with_units(report_data):
    fig = distribution_figure(report_data)
    assert fig.layout.yaxis.title.text == "density (per unit ∂L/∂w, log)"
    assert fig.layout.yaxis2.title.text == "density (per unit activation, log)"
    assert fig.layout.xaxis.title.text == "gradient ∂L/∂w (L: training loss)"
    assert fig.layout.xaxis2.title.text == "activation (ReLU output)"
    assert fig.layout.yaxis.type == fig.layout.yaxis2.type == "log"
    # one legend entry per lambda (the second panel's traces share it)
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "λ = 100",
        "λ = 50",
        "λ = 25",
    ]
