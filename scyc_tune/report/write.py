"""`report`: write report.html and the tables (Markdown, CSV, LaTeX) for a study's storage."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from scyc_tune.report.comparison_table import accuracy_table
from scyc_tune.report.data import ReportData
from scyc_tune.report.figures import (
    accuracy_figure,
    distribution_figure,
    oracle_heatmap,
    scurve_figure,
)
from scyc_tune.report.findings import (
    accuracy_findings,
    gradient_findings,
    inside_findings,
    trend_findings,
)
from scyc_tune.report.oracle_table import oracle_table
from scyc_tune.report.page import Section, render
from scyc_tune.report.tables import (
    accuracy_csv,
    accuracy_latex,
    accuracy_markdown,
    oracle_csv,
    oracle_latex,
    oracle_markdown,
)


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    tables: tuple[Path, ...]
    figures: int  # figures drawn (those with data)


def write_report(data: ReportData, out_dir: Path) -> ReportFiles:
    """Write the report into ``out_dir`` (created); every file is replaced whole."""
    out_dir.mkdir(parents=True, exist_ok=True)
    study = data.study
    t2 = accuracy_table(data.comparison, study.pruning.rate)
    t3 = oracle_table(data)
    tables = {
        "table2.md": accuracy_markdown(t2),
        "table2.csv": accuracy_csv(t2),
        "table2.tex": accuracy_latex(t2),
        "table3.md": oracle_markdown(t3),
        "table3.csv": oracle_csv(t3),
        "table3.tex": oracle_latex(t3),
    }
    figures = {
        "heatmap": oracle_heatmap(data),
        "scurve": scurve_figure(data),
        "accuracy": accuracy_figure(data, t2),
        "distributions": distribution_figure(data),
    }
    sections = [
        Section(
            "Findings, from this study's numbers",
            bullets=tuple(
                inside_findings(data, t3)
                + trend_findings(data)
                + accuracy_findings(data, t2)
                + gradient_findings(data)
            ),
        ),
        Section(
            "Oracle vs S-Cyc (Tables 3, 7, 8)",
            (figures["heatmap"],),
            tables["table3.md"],
            files=("table3.md", "table3.csv", "table3.tex"),
        ),
        Section("The S-curve of max_lr", (figures["scurve"],)),
        Section(
            "Schedule comparison (Table 2)",
            (figures["accuracy"],),
            "Rows: "
            + "; ".join(f"{r.label}: {r.note}" for r in data.comparison.plan.rows)
            + "\n\n"
            + tables["table2.md"],
            files=("table2.md", "table2.csv", "table2.tex"),
        ),
        Section(
            "Gradient and hidden-representation distributions (Section 3, Fig. 1)",
            (figures["distributions"],),
            bullets=tuple(gradient_findings(data, per_lambda=True)),
        ),
    ]
    subtitle = (
        f"{study.description or study.name}: {study.model.name} on {study.data.name}, "
        f"{study.pruning.method} at p = {study.pruning.rate}, {data.cycles} cycles; "
        f"storage {data.storage}"
    )
    page = render(f"scyc-tune report: {study.name}", subtitle, data.missing, sections)
    written = [_write(out_dir / name, text) for name, text in tables.items()]
    html_path = _write(out_dir / "report.html", page)
    return ReportFiles(html_path, tuple(written), sum(f is not None for f in figures.values()))


def _write(path: Path, text: str) -> Path:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
