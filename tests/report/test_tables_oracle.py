"""Table 3 builders: exact Markdown/CSV/LaTeX text, inside/outside marks, k/n, the * mark."""

import pytest

from scyc_tune.report.tables import (
    CurveRow,
    OracleColumn,
    OracleTable,
    inside_count,
    oracle_csv,
    oracle_latex,
    oracle_markdown,
    oracle_missing,
)


@pytest.fixture
def study():
    """Two cycles run (one region with holes), one not yet; one curve inside everywhere it
    can tell, one outside with gaps."""
    return OracleTable(
        columns=(
            OracleColumn(100.0, 0.04, 0.036, 0.042),
            OracleColumn(51.2, 0.09, 0.056, 0.45, contiguous=False),
            OracleColumn(12.5, None, None, None),
        ),
        curves=(
            CurveRow("S-Cyc (fitted, in-sample)", (0.04, 0.088, 0.0999), (True, True, None)),
            CurveRow("auto", (0.05, None, None), (False, None, None)),
        ),
    )


@pytest.fixture
def complete():
    return OracleTable(
        columns=(OracleColumn(100.0, 0.04, 0.036, 0.042), OracleColumn(64.0, 0.042, 0.036, 0.048)),
        curves=(CurveRow("S-Cyc", (0.04, 0.0402), (True, True)),),
    )


FOOTNOTE = (
    "max_lr in hundredths (x 1e-2); * = feasible set has holes; "
    "✓ inside / ✗ outside the feasible region"
)


def test_markdown_exact(study):
    assert oracle_markdown(study) == (
        "| max_lr | λ = 100 | λ = 51.2 | λ = 12.5 | inside |\n"
        "|---|---:|---:|---:|---:|\n"
        "| Well-tuned max_lr | 4 | 9 | – |  |\n"
        "| Feasible LR region | [3.6, 4.2] | [5.6, 45]* | – |  |\n"
        "| S-Cyc (fitted, in-sample) | 4 ✓ | 8.8 ✓ | 9.99 | 2/2 |\n"
        "| auto | 5 ✗ | – | – | 0/1 |\n"
        "\n"
        f"{FOOTNOTE}\n"
        "\n"
        "Not run yet: λ = 12.5\n"
        "\n"
        "auto: no max_lr at λ = 51.2, 12.5\n"
    )


def test_csv_exact(study):
    assert oracle_csv(study) == (
        "# max_lr as a learning rate; contiguous 0 = feasible set has holes; "
        "inside 1/0, empty = n/a\n"
        "# Not run yet: λ = 12.5\n"
        "# auto: no max_lr at λ = 51.2, 12.5\n"
        "row,lambda,value,low,high,contiguous,inside\n"
        "Well-tuned max_lr,100.0,0.04,0.036,0.042,1,\n"
        "Well-tuned max_lr,51.2,0.09,0.056,0.45,0,\n"
        '"S-Cyc (fitted, in-sample)",100.0,0.04,,,,1\n'
        '"S-Cyc (fitted, in-sample)",51.2,0.088,,,,1\n'
        '"S-Cyc (fitted, in-sample)",12.5,0.0999,,,,\n'
        "auto,100.0,0.05,,,,0\n"
    )


def test_latex_exact(study):
    assert oracle_latex(study) == (
        "\\begin{tabular}{lrrrr}\n"
        "\\toprule\n"
        "max\\_lr & $\\lambda = 100$ & $\\lambda = 51.2$ & $\\lambda = 12.5$ & inside \\\\\n"
        "\\midrule\n"
        "Well-tuned max\\_lr & 4 & 9 & -- &  \\\\\n"
        "Feasible LR region & [3.6, 4.2] & [5.6, 45]* & -- &  \\\\\n"
        "\\midrule\n"
        "S-Cyc (fitted, in-sample) & 4 $\\checkmark$ & 8.8 $\\checkmark$ & 9.99 & 2/2 \\\\\n"
        "auto & 5 $\\times$ & -- & -- & 0/1 \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\n"
        "{\\footnotesize max\\_lr in hundredths (x 1e-2); * = feasible set has holes; "
        "$\\checkmark$ inside / $\\times$ outside the feasible region\\par}\n"
        "{\\footnotesize Not run yet: $\\lambda$ = 12.5\\par}\n"
        "{\\footnotesize auto: no max\\_lr at $\\lambda$ = 51.2, 12.5\\par}\n"
    )


def test_complete_table_has_only_the_footnote(complete):
    assert oracle_missing(complete) == []
    assert oracle_markdown(complete).endswith(f"| S-Cyc | 4 ✓ | 4.02 ✓ | 2/2 |\n\n{FOOTNOTE}\n")
    assert oracle_latex(complete).count("\\footnotesize") == 1


def test_inside_count_ignores_columns_that_cannot_tell():
    curve = CurveRow("c", (0.01, 0.02, 0.03, 0.04), (True, False, None, True))
    assert inside_count(curve) == (2, 3)
    assert inside_count(CurveRow("d", (0.01, None), (None, None))) == (0, 0)


def test_no_column_can_tell_shows_a_dash():
    t = OracleTable(
        columns=(OracleColumn(100.0, None, None, None),),
        curves=(CurveRow("S-Cyc", (0.03,), (None,)),),
    )
    assert "| S-Cyc | 3 | – |" in oracle_markdown(t)
    assert "S-Cyc & 3 & -- \\\\" in oracle_latex(t)


def test_region_with_holes_is_starred_everywhere():
    t = OracleTable(columns=(OracleColumn(100.0, 0.056, 0.056, 0.45, contiguous=False),), curves=())
    assert "| Feasible LR region | [5.6, 45]* |  |" in oracle_markdown(t)
    assert "Feasible LR region & [5.6, 45]* &  \\\\" in oracle_latex(t)
    assert "Well-tuned max_lr,100.0,0.056,0.056,0.45,0,\n" in oracle_csv(t)


def test_no_curves_leaves_out_the_second_group():
    t = OracleTable(columns=(OracleColumn(100.0, 0.04, 0.036, 0.042),), curves=())
    assert oracle_latex(t).count("\\midrule") == 1


def test_curve_labels_are_escaped_in_latex():
    t = OracleTable(
        columns=(OracleColumn(100.0, 0.04, 0.036, 0.042),),
        curves=(CurveRow("S-Cyc (q=0, 5% & more)", (0.04,), (True,)),),
    )
    assert "S-Cyc (q=0, 5\\% \\& more) & 4 $\\checkmark$ & 1/1 \\\\" in oracle_latex(t)
    assert '"S-Cyc (q=0, 5% & more)",100.0,0.04,,,,1' in oracle_csv(t)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OracleColumn(100.0, 0.04, None, 0.05), "together or none of them"),
        (lambda: OracleColumn(100.0, 0.04, 0.05, 0.03), "low 0.05 > high 0.03"),
        (lambda: CurveRow("c", (0.01,), (True, None)), "1 values but 2 inside flags"),
        (lambda: CurveRow("c", (None,), (True,)), "inside=True without a value"),
        (
            lambda: OracleTable((OracleColumn(100.0, None, None, None),), (CurveRow("c", (), ()),)),
            "'c': 0 values for 1 columns",
        ),
        (
            lambda: OracleTable((), (CurveRow("c", (), ()), CurveRow("c", (), ()))),
            "curve labels must be distinct",
        ),
        (
            lambda: OracleTable((), (CurveRow("Well-tuned max_lr", (), ()),)),
            "curve labels must be distinct",
        ),
    ],
)
def test_validation_names_the_bad_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_well_tuned_points_accuracy_with_its_spread_over_seeds():
    """Issue 14: Table 3 shows the well-tuned point's validation accuracy, mean ± sample std
    over the oracle's seeds, in Markdown and LaTeX alike; one seed shows the mean alone."""
    table = OracleTable(
        columns=(
            OracleColumn(100.0, 0.04, 0.036, 0.042, best_val=0.6904, best_std=0.0162, seeds=3),
            OracleColumn(51.2, 0.09, 0.056, 0.1, best_val=0.7, best_std=0.02, seeds=3),
            OracleColumn(12.5, None, None, None),
        ),
        curves=(),
    )
    note = "Best val acc (%): the well-tuned point's mean ± sample std over 3 seeds"
    assert oracle_markdown(table) == (
        "| max_lr | λ = 100 | λ = 51.2 | λ = 12.5 | inside |\n"
        "|---|---:|---:|---:|---:|\n"
        "| Well-tuned max_lr | 4 | 9 | – |  |\n"
        "| Feasible LR region | [3.6, 4.2] | [5.6, 10] | – |  |\n"
        "| Best val acc (%) | 69.0 ± 1.6 | 70.0 ± 2.0 | – |  |\n"
        "\n"
        f"{FOOTNOTE}\n"
        "\n"
        f"{note}\n"
        "\n"
        "Not run yet: λ = 12.5\n"
    )
    latex = oracle_latex(table)
    assert "Best val acc (\\%) & 69.0 $\\pm$ 1.6 & 70.0 $\\pm$ 2.0 & -- &  \\\\\n" in latex
    assert (
        "{\\footnotesize Best val acc (\\%): the well-tuned point's mean $\\pm$ sample std "
        "over 3 seeds\\par}\n" in latex
    )
    one = OracleTable(columns=(OracleColumn(100.0, 0.04, 0.036, 0.042, best_val=0.5),), curves=())
    assert "| Best val acc (%) | 50.0 |  |\n" in oracle_markdown(one)
    assert "seeds" not in oracle_markdown(one)


def test_table3_takes_the_accuracy_from_the_answers_well_tuned_point():
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.store.answer import GridPoint, OracleAnswer, Region
    from tests.report.conftest import sample_study

    points = (
        GridPoint(0.02, 0.61, "complete", 0.01, 3),
        GridPoint(0.04, 0.66, "complete", 0.015, 3),
    )
    answer = OracleAnswer(0, 100.0, points, Region(0.04, 0.66, (0.04,), True))
    [column] = table3(sample_study(), [answer], 1).columns
    assert (column.best_val, column.best_std, column.seeds) == (0.66, 0.015, 3)
