"""report.html's layout holds on a narrow window: tables scroll sideways inside a wrapper,
figures take their container's width; the study's text stays text."""

import re

import plotly.graph_objects as go

from scyc_tune.report.figures import (
    accuracy_figure,
    distribution_figure,
    oracle_heatmap,
    scurve_figure,
)
from scyc_tune.report.figures._style import LAYOUT
from scyc_tune.report.page import CSS, TABLE_WRAP, Section, render

TABLE = "| schedule | λ = 100 | λ = 50 |\n|---|---:|---:|\n| a | 1 | 2 |\n"


def css_rule(selector):
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no CSS rule for {selector}"
    return match.group(1)


def test_every_table_sits_in_a_horizontally_scrolling_wrapper():
    page = render("t", "s", [], [Section("A", markdown=TABLE + "\n\ntext\n\n" + TABLE)])
    assert page.count("<table>") == 2
    assert page.count(f"<div class='{TABLE_WRAP}'><table>") == 2
    assert page.count("</table>\n</div>") == 2
    rule = css_rule(f".{TABLE_WRAP}")
    assert "overflow-x: auto" in rule and "max-width: 100%" in rule
    assert 'name="viewport" content="width=device-width' in page


def test_figures_have_no_fixed_width_and_follow_their_container(report_data):
    from scyc_tune.report.comparison_table import accuracy_table

    assert "width" not in LAYOUT and LAYOUT["autosize"] is True
    table = accuracy_table(report_data.comparison, report_data.study.pruning.rate)
    figures = [
        oracle_heatmap(report_data),
        scurve_figure(report_data),
        accuracy_figure(report_data, table),
        distribution_figure(report_data),
    ]
    for fig in figures:
        assert fig.layout.width is None and fig.layout.autosize is True
    page = render("t", "s", [], [Section("F", tuple(figures))])
    assert page.count('"responsive": true') == len(figures)
    assert page.count("width:100%") >= len(figures)


def test_study_text_never_becomes_markup():
    evil = "<script>alert(1)</script>"
    fig = go.Figure(go.Scatter(x=[1], y=[1], name=f"</script>{evil}"))
    page = render(
        f"title {evil}",
        f"sub {evil}",
        [f"missing {evil}"],
        [
            Section(
                f"sec {evil}",
                (fig,),
                markdown=f"Rows: {evil}\n\n| a |\n|---|\n| {evil} |\n",
                bullets=(f"finding {evil}",),
                files=(f"{evil}.md",),
            )
        ],
    )
    assert evil not in page and "</script><script>" not in page
    # <title> and <h1>, subtitle, missing, section, finding, note, table cell, link href and text
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 10


def test_a_hostile_description_stays_text_in_the_written_report(tmp_path):
    """Finding 4 of issue 12: study text in report.html. Names and labels are identifiers by
    validation (tests/study/test_malformed.py); the description is free text, and stays text."""
    from dataclasses import replace

    from scyc_tune.report.write import write_report
    from tests.report.conftest import make_report_data

    evil = "c'\"><img src=x onerror=alert(2)><script>alert(3)</script>"
    data = make_report_data()
    data = replace(data, study=data.study.model_copy(update={"description": evil}))
    page = write_report(data, tmp_path).html.read_text(encoding="utf-8")
    assert "<img" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
