"""Table 2 builders: exact Markdown/CSV/LaTeX text, best per column, partial and missing cells."""

import pytest

from scyc_tune.report.tables import (
    AccuracyCell,
    AccuracyRow,
    AccuracyTable,
    accuracy_csv,
    accuracy_latex,
    accuracy_markdown,
    accuracy_missing,
    best_labels,
)

CAPTION = "early-stop test accuracy (%), mean ± std over 3 seeds"


def cell(*values):
    return AccuracyCell(tuple(values))


@pytest.fixture
def complete():
    """Two schedules, two lambdas, every seed finished."""
    return AccuracyTable(
        lambdas=(100.0, 32.768),
        seeds=3,
        rows=(
            AccuracyRow(
                "constant LR (1e-2)", {100.0: cell(89.6, 90.1, 90.6), 32.768: cell(86, 87, 88)}
            ),
            AccuracyRow("S-Cyc", {100.0: cell(89.5, 90.0, 90.5), 32.768: cell(88, 88.5, 89)}),
        ),
    )


@pytest.fixture
def partial():
    """A partial cell (2 of 3), a single-seed cell, a lambda nobody ran, a reference row."""
    return AccuracyTable(
        lambdas=(100.0, 50.0, 25.0),
        seeds=3,
        rows=(
            AccuracyRow("constant LR (1e-2)", {100.0: cell(90, 91, 92), 50.0: cell(85, 86)}),
            AccuracyRow("S-Cyc_1 & 50%", {100.0: cell(91, 91.5, 92), 50.0: cell(88)}),
            AccuracyRow("oracle", {100.0: cell(95, 95, 95)}),
        ),
        reference_rows=frozenset({"oracle"}),
    )


def test_complete_markdown_exact(complete):
    assert accuracy_markdown(complete) == (
        "| schedule | λ = 100 | λ = 32.8 |\n"
        "|---|---:|---:|\n"
        "| constant LR (1e-2) | **90.1 ± 0.5** | 87.0 ± 1.0 |\n"
        "| S-Cyc | 90.0 ± 0.5 | **88.5 ± 0.5** |\n"
        "\n"
        "early-stop test accuracy (%), mean ± std over 3 seeds\n"
    )


def test_complete_csv_exact(complete):
    assert accuracy_csv(complete) == (
        f"# {CAPTION}; seeds = seeds finished of 3 asked\n"
        "schedule,lambda,mean,std,seeds,best\n"
        "constant LR (1e-2),100.0,90.09999999999998,0.5,3,1\n"
        "constant LR (1e-2),32.768,87.0,1.0,3,0\n"
        "S-Cyc,100.0,90.0,0.5,3,0\n"
        "S-Cyc,32.768,88.5,0.5,3,1\n"
    )


def test_complete_latex_exact(complete):
    assert accuracy_latex(complete) == (
        "\\begin{tabular}{lrr}\n"
        "\\toprule\n"
        "schedule & $\\lambda = 100$ & $\\lambda = 32.8$ \\\\\n"
        "\\midrule\n"
        "constant LR (1e-2) & \\textbf{90.1 $\\pm$ 0.5} & 87.0 $\\pm$ 1.0 \\\\\n"
        "S-Cyc & 90.0 $\\pm$ 0.5 & \\textbf{88.5 $\\pm$ 0.5} \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\n"
        "{\\footnotesize early-stop test accuracy (\\%), mean $\\pm$ std over 3 seeds\\par}\n"
    )


def test_partial_markdown_exact(partial):
    assert accuracy_markdown(partial) == (
        "| schedule | λ = 100 | λ = 50 | λ = 25 |\n"
        "|---|---:|---:|---:|\n"
        "| constant LR (1e-2) | 91.0 ± 1.0 | 85.5 ± 0.7† | – |\n"
        "| S-Cyc_1 & 50% | **91.5 ± 0.5** | **88.0**† | – |\n"
        "| oracle | 95.0 ± 0.0 | – | – |\n"
        "\n"
        "early-stop test accuracy (%), mean ± std over 3 seeds\n"
        "\n"
        "† partial: only n of 3 seeds finished (n per cell below)\n"
        "\n"
        "Not run yet: λ = 25\n"
        "\n"
        "constant LR (1e-2): 2 of 3 seeds at λ = 50\n"
        "\n"
        "S-Cyc_1 & 50%: 1 of 3 seeds at λ = 50\n"
        "\n"
        "oracle: not run at λ = 50\n"
    )


def test_partial_csv_exact(partial):
    assert accuracy_csv(partial) == (
        f"# {CAPTION}; seeds = seeds finished of 3 asked\n"
        "# Not run yet: λ = 25\n"
        "# constant LR (1e-2): 2 of 3 seeds at λ = 50\n"
        "# S-Cyc_1 & 50%: 1 of 3 seeds at λ = 50\n"
        "# oracle: not run at λ = 50\n"
        "schedule,lambda,mean,std,seeds,best\n"
        "constant LR (1e-2),100.0,91.0,1.0,3,0\n"
        "constant LR (1e-2),50.0,85.5,0.7071067811865476,2,0\n"
        "S-Cyc_1 & 50%,100.0,91.5,0.5,3,1\n"
        "S-Cyc_1 & 50%,50.0,88.0,,1,1\n"
        "oracle,100.0,95.0,0.0,3,0\n"
    )


def test_partial_latex_exact(partial):
    assert accuracy_latex(partial) == (
        "\\begin{tabular}{lrrr}\n"
        "\\toprule\n"
        "schedule & $\\lambda = 100$ & $\\lambda = 50$ & $\\lambda = 25$ \\\\\n"
        "\\midrule\n"
        "constant LR (1e-2) & 91.0 $\\pm$ 1.0 & 85.5 $\\pm$ 0.7$^\\dagger$ & -- \\\\\n"
        "S-Cyc\\_1 \\& 50\\% & \\textbf{91.5 $\\pm$ 0.5} & \\textbf{88.0}$^\\dagger$ & -- \\\\\n"
        "oracle & 95.0 $\\pm$ 0.0 & -- & -- \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\n"
        "{\\footnotesize early-stop test accuracy (\\%), mean $\\pm$ std over 3 seeds\\par}\n"
        "{\\footnotesize $^\\dagger$ partial: only n of 3 seeds finished (n per cell below)\\par}\n"
        "{\\footnotesize Not run yet: $\\lambda$ = 25\\par}\n"
        "{\\footnotesize constant LR (1e-2): 2 of 3 seeds at $\\lambda$ = 50\\par}\n"
        "{\\footnotesize S-Cyc\\_1 \\& 50\\%: 1 of 3 seeds at $\\lambda$ = 50\\par}\n"
        "{\\footnotesize oracle: not run at $\\lambda$ = 50\\par}\n"
    )


def test_mean_and_sample_std():
    c = cell(89.6, 90.1, 90.6)
    assert c.mean == pytest.approx(90.1)
    assert c.std == pytest.approx(0.5)  # ddof=1; the population std would be 0.408
    assert cell(90.0).std is None


def test_ties_are_all_best_whatever_the_seed_order():
    t = AccuracyTable(
        lambdas=(100.0,),
        seeds=3,
        rows=(
            AccuracyRow("a", {100.0: cell(90.1, 90.2, 90.7)}),
            AccuracyRow("b", {100.0: cell(90.7, 90.1, 90.2)}),
            AccuracyRow("c", {100.0: cell(80, 81, 82)}),
        ),
    )
    assert best_labels(t) == {100.0: {"a", "b"}}
    assert accuracy_markdown(t).count("**") == 4
    assert accuracy_latex(t).count("\\textbf{") == 2
    assert [line[-1] for line in accuracy_csv(t).splitlines()[2:]] == ["1", "1", "0"]


def test_reference_rows_are_never_best():
    t = AccuracyTable(
        lambdas=(100.0, 50.0),
        seeds=2,
        rows=(
            AccuracyRow("oracle", {100.0: cell(99, 99), 50.0: cell(99, 99)}),
            AccuracyRow("LR decay", {100.0: cell(90, 91)}),
        ),
        reference_rows=frozenset({"oracle"}),
    )
    assert best_labels(t) == {100.0: {"LR decay"}, 50.0: set()}
    assert "| oracle | 99.0 ± 0.0 | 99.0 ± 0.0 |" in accuracy_markdown(t)
    assert "| LR decay | **90.5 ± 0.7** | – |" in accuracy_markdown(t)


def test_partial_cells_can_be_best(partial):
    assert best_labels(partial) == {100.0: {"S-Cyc_1 & 50%"}, 50.0: {"S-Cyc_1 & 50%"}, 25.0: set()}


def test_one_seed_asked_is_not_partial():
    t = AccuracyTable(lambdas=(100.0,), seeds=1, rows=(AccuracyRow("x", {100.0: cell(90.06)}),))
    assert accuracy_markdown(t) == (
        "| schedule | λ = 100 |\n|---|---:|\n| x | **90.1** |\n\n"
        "early-stop test accuracy (%), mean ± std over 1 seed\n"
    )
    assert accuracy_missing(t) == []


def test_empty_cell_counts_as_not_run():
    t = AccuracyTable(
        lambdas=(100.0, 50.0),
        seeds=2,
        rows=(
            AccuracyRow("a", {100.0: cell(90, 91), 50.0: AccuracyCell(())}),
            AccuracyRow("b", {100.0: cell(90, 91), 50.0: cell(80, 81)}),
        ),
    )
    assert accuracy_missing(t) == ["a: not run at λ = 50"]
    assert "| a | **90.5 ± 0.7** | – |" in accuracy_markdown(t)
    assert "a,50.0" not in accuracy_csv(t)


def test_missing_groups_partial_cells_by_seed_count():
    t = AccuracyTable(
        lambdas=(100.0, 50.0, 25.0, 12.5, 6.25, 3.125),
        seeds=3,
        rows=(
            AccuracyRow(
                "constant LR",
                {100.0: cell(1, 2, 3), 50.0: cell(1, 2), 25.0: cell(1), 3.125: cell(1, 2)},
            ),
        ),
    )
    assert accuracy_missing(t) == [
        "Not run yet: λ = 12.5, 6.25",
        "constant LR: 2 of 3 seeds at λ = 50, 3.12",
        "constant LR: 1 of 3 seeds at λ = 25",
    ]
    for text in (accuracy_markdown(t), accuracy_csv(t)):
        assert "Not run yet: λ = 12.5, 6.25" in text
        assert "constant LR: 2 of 3 seeds at λ = 50, 3.12" in text
    assert "Not run yet: $\\lambda$ = 12.5, 6.25" in accuracy_latex(t)


def test_latex_escapes_specials_in_labels():
    label = "a&b%c$d#e_f{g}h~i^j\\k"
    t = AccuracyTable(lambdas=(100.0,), seeds=1, rows=(AccuracyRow(label, {100.0: cell(1)}),))
    expected = (
        "a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k"
    )
    assert f"\n{expected} & \\textbf{{1.0}} \\\\\n" in accuracy_latex(t)


def test_csv_quotes_labels_with_commas():
    t = AccuracyTable(
        lambdas=(100.0,), seeds=1, rows=(AccuracyRow("LR decay (2e-2, 63K)", {100.0: cell(1)}),)
    )
    assert accuracy_csv(t).splitlines()[-1] == '"LR decay (2e-2, 63K)",100.0,1.0,,1,1'


def test_markdown_escapes_pipes_in_labels():
    t = AccuracyTable(lambdas=(100.0,), seeds=1, rows=(AccuracyRow("a|b", {100.0: cell(1)}),))
    assert "| a\\|b | **1.0** |" in accuracy_markdown(t)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seeds": 0}, "seeds must be >= 1"),
        ({"lambdas": (100.0, 100.0)}, "lambdas must be distinct"),
        ({"rows": (AccuracyRow("a", {}), AccuracyRow("a", {}))}, "row labels must be distinct"),
        ({"reference_rows": frozenset({"oracel"})}, "reference_rows \\['oracel'\\]"),
        ({"rows": (AccuracyRow("a", {7.0: cell(1)}),)}, "lambdas \\[7.0\\] not in"),
        ({"rows": (AccuracyRow("a", {100.0: cell(1, 2, 3)}),)}, "3 values, more than seeds=2"),
    ],
)
def test_validation_names_the_bad_value(kwargs, message):
    args = {"lambdas": (100.0,), "seeds": 2, "rows": (AccuracyRow("a", {}),), **kwargs}
    with pytest.raises(ValueError, match=message):
        AccuracyTable(**args)
