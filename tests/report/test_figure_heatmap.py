"""The oracle heat map: colour = points below the cycle's best on a clipped scale, diverged and
failed cells marked instead, the feasible cells outlined one by one, a legend swatch."""

import math

import pytest

from scyc_tune.report.figures.heatmap import cell_edges, clip_pp, feasible_cells, oracle_heatmap


def by_name(fig, start):
    return [t for t in fig.data if (t.name or "").startswith(start)]


def main_trace(fig):
    return fig.data[0]


def test_z_is_points_below_the_cycles_best_clipped_at_three_tolerances(report_data, sample):
    GRID, TRIALS = sample.GRID, sample.TRIALS

    def best_of(m):
        return max(acc for acc, s in TRIALS[m] if s == "complete")

    hm = main_trace(oracle_heatmap(report_data))
    assert (hm.zmin, hm.zmax) == (0.0, 1.5)  # 3 x the 0.5-point tolerance
    for i, v in enumerate(GRID):
        for j, m in enumerate(sorted(TRIALS)):
            acc, status = TRIALS[m][i]
            z = hm.z[i][j]
            if status != "complete":
                assert z is None, (m, v)
            else:
                assert z == pytest.approx(min(100 * (best_of(m) - acc), 1.5), abs=1e-9)
                assert 0.0 <= z <= 1.5
    # the cells that decide the region keep their differences: 0, 0.25 and 0.3 points
    assert hm.z[GRID.index(0.04)][0] == 0.0
    assert hm.z[GRID.index(0.08)][0] == pytest.approx(0.25)
    assert hm.z[GRID.index(0.02)][1] == pytest.approx(0.3)
    assert hm.z[GRID.index(0.16)][2] == 1.5  # 20 points below: clipped
    assert "clipped at 1.5" in hm.colorbar.title.text
    assert list(hm.colorbar.ticktext) == ["0 (best)", "0.5 (tolerance)", "1", "≥ 1.5"]


def test_hover_gives_the_absolute_accuracy_and_the_distance(report_data, sample):
    GRID = sample.GRID
    hm = main_trace(oracle_heatmap(report_data))
    cell = hm.text[GRID.index(0.08)][0]
    assert "val acc 92.75%" in cell and "0.25 pp below the cycle's best (93.00%)" in cell
    assert "the cycle's best" in hm.text[GRID.index(0.04)][0]


def test_diverged_and_failed_cells_are_marked_not_coloured(report_data, sample):
    GRID = sample.GRID
    fig = oracle_heatmap(report_data)
    top = GRID.index(0.32)
    assert list(main_trace(fig).z[top]) == [None, None, None]
    (grey,) = by_name(fig, "diverged / no result")
    assert grey.showscale is False
    assert list(grey.z[top]) == [0.0, 1.0, 0.0]  # diverged, failed, diverged
    assert all(s is None for row in grey.z[:top] for s in row)
    (div,) = by_name(fig, "diverged (")
    (failed,) = by_name(fig, "failed")
    y = math.log10(0.32)
    assert list(div.x) == [0, 2] and list(div.y) == pytest.approx([y, y])
    assert list(failed.x) == [1] and list(failed.y) == pytest.approx([y])
    assert div.marker.symbol == "x" and div.showlegend is not False
    assert "diverged, val acc 10.00%: not on the colour scale" in div.text[0]


def test_feasible_outline_covers_exactly_the_feasible_cells(report_data, sample):
    GRID, FEASIBLE = sample.GRID, sample.FEASIBLE
    fig = oracle_heatmap(report_data)
    (outline, swatch) = [t for t in fig.data if t.legendgroup == "feasible"]
    assert outline.showlegend is False and outline.mode == "lines"
    x_edges = cell_edges([0.0, 1.0, 2.0])
    y_edges = cell_edges([math.log10(v) for v in GRID])
    xs, ys = list(outline.x), list(outline.y)
    rects = set()
    while xs:
        px, py = xs[:5], ys[:5]
        assert xs[5] is None and ys[5] is None
        xs, ys = xs[6:], ys[6:]
        assert px[0] == px[-1] and py[0] == py[-1]  # closed
        i = x_edges.index(min(px))
        j = y_edges.index(pytest.approx(min(py)))
        assert max(px) == x_edges[i + 1] and max(py) == pytest.approx(y_edges[j + 1])
        rects.add((i, GRID[j]))
    expected = {(m, v) for m, values in FEASIBLE.items() for v in values}
    assert rects == expected == feasible_cells(report_data)
    # the legend entry has a visible square swatch in the outline's colour
    assert swatch.showlegend is not False and swatch.mode == "markers"
    assert swatch.marker.symbol == "square-open" and swatch.marker.size >= 10
    assert swatch.marker.color == outline.line.color
    assert swatch.name.startswith("feasible") and "0.5" in swatch.name


def test_curves_are_kept(report_data):
    names = [t.name for t in oracle_heatmap(report_data).data]
    for name in ("well-tuned", "S-Cyc (study file)", "auto"):
        assert name in names
    (well,) = by_name(oracle_heatmap(report_data), "well-tuned")
    assert list(well.y) == pytest.approx([math.log10(0.04), math.log10(0.08), math.log10(0.08)])


def test_clip_and_cell_edges():
    assert clip_pp(0.5) == 1.5 and clip_pp(2.0) == 6.0
    assert clip_pp(0.0) == 1.0  # a zero tolerance still gets a scale
    assert cell_edges([0.0, 1.0, 2.0]) == [-0.5, 0.5, 1.5, 2.5]
    assert cell_edges([0.0, 1.0, 3.0]) == [-0.5, 0.5, 2.0, 4.0]
    assert cell_edges([5.0]) == [4.5, 5.5]


def test_a_relative_tolerance_scales_the_colours_at_the_grids_best(report_data):
    """Issue 14: 0.5% of the grid's best (93.0%) is 0.465 points; the scale ends at 3 x that."""
    import dataclasses

    oracle = report_data.study.oracle.model_copy(update={"tolerance_mode": "relative"})
    data = dataclasses.replace(
        report_data, study=report_data.study.model_copy(update={"oracle": oracle})
    )
    fig = oracle_heatmap(data)
    assert main_trace(fig).zmax == pytest.approx(3 * 0.465)
    assert any("within 0.5% of the best" in (t.name or "") for t in fig.data)
    points = oracle_heatmap(report_data)
    assert any("within 0.5 points" in (t.name or "") for t in points.data)
