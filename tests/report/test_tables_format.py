"""Shared formatting: the hundredths unit, lambda headers, LaTeX escaping, torch-free import."""

import subprocess
import sys

from scyc_tune.report.tables._format import hundredths, lam
from scyc_tune.report.tables._latex import escape


def test_hundredths_like_the_paper():
    assert [hundredths(x) for x in (0.04, 0.0402, 0.056, 0.113, 0.0999)] == [
        "4",
        "4.02",
        "5.6",
        "11.3",
        "9.99",
    ]


def test_lambda_three_significant_digits():
    assert [lam(x) for x in (100.0, 32.768, 3.125, 2.03, 0.5)] == [
        "100",
        "32.8",
        "3.12",
        "2.03",
        "0.5",
    ]


def test_escape_is_one_pass():
    assert escape("\\&") == "\\textbackslash{}\\&"
    assert escape("{}") == "\\{\\}"
    assert escape("λ ± † ✓ ✗ –") == "$\\lambda$ $\\pm$ $^\\dagger$ $\\checkmark$ $\\times$ --"


def test_import_pulls_in_neither_torch_nor_the_database():
    code = (
        "import sys, scyc_tune.report.tables\n"
        "bad = {'torch', 'ray', 'sqlalchemy', 'optuna'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
