"""Pure table builders for the paper's Table 2 (accuracy) and Table 3 (oracle max_lr), as
Markdown, CSV and LaTeX text and a terminal table. No database, no torch: callers pass plain
records."""

from scyc_tune.report.tables._format import hundredths
from scyc_tune.report.tables.accuracy import (
    AccuracyCell,
    AccuracyRow,
    AccuracyTable,
    accuracy_missing,
    best_labels,
)
from scyc_tune.report.tables.accuracy_csv import accuracy_csv
from scyc_tune.report.tables.accuracy_latex import accuracy_latex
from scyc_tune.report.tables.accuracy_markdown import accuracy_markdown
from scyc_tune.report.tables.oracle import (
    CurveRow,
    OracleColumn,
    OracleTable,
    inside_count,
    oracle_missing,
)
from scyc_tune.report.tables.oracle_csv import oracle_csv
from scyc_tune.report.tables.oracle_latex import oracle_latex
from scyc_tune.report.tables.oracle_markdown import oracle_markdown
from scyc_tune.report.tables.oracle_terminal import oracle_terminal

__all__ = [
    "AccuracyCell",
    "AccuracyRow",
    "AccuracyTable",
    "CurveRow",
    "OracleColumn",
    "OracleTable",
    "accuracy_csv",
    "accuracy_latex",
    "accuracy_markdown",
    "accuracy_missing",
    "best_labels",
    "hundredths",
    "inside_count",
    "oracle_csv",
    "oracle_latex",
    "oracle_markdown",
    "oracle_missing",
    "oracle_terminal",
]
