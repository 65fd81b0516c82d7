"""`scyc-tune report STUDY.toml`: the HTML report and the paper's tables from the storage."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.storage_flags import StoragePaths, add_storage_flags
from scyc_tune.cli.study_arg import load_args
from scyc_tune.study import Study


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write report.html and Tables 2 and 3 (Markdown, CSV, LaTeX) from the storage",
        description="Read the study's oracle, fits, comparison and distributions from the "
        "storage (training nothing) and write a self-contained report.html with plotly figures "
        "plus the tables. A partly run study gives a partial report that says what is missing.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    parser.add_argument("--out", help="output directory (default: storage/reports/<study name>)")
    parser.add_argument(
        "--source",
        help="whose distributions to show: 'oracle' or a comparison row (default as `gradients`)",
    )
    add_override_flags(parser, "report")
    parser.set_defaults(handler=run)


def default_out(study_name: str) -> Path:
    from scyc_tune.paths import inside

    return inside(Path("storage") / "reports", study_name.replace("/", "_"))


@dataclass(frozen=True)
class ReportFiles:
    html: Path  # report.html, resolved: `run` prints it last
    table3: Path  # table3.md (table2.md beside it): `run` prints it before the path


def run(args: argparse.Namespace) -> int:
    study = load_args(args)
    files = report(study, StoragePaths.of(args), out=args.out, source=args.source)
    print(files.html)
    return 0


def report(
    study: Study, paths: StoragePaths, *, out: str | None = None, source: str | None = None
) -> ReportFiles:
    """Write the report of ``study`` (with its overrides; ``compare.seeds`` says which seeds
    are shown) from the storage; the `report` command and `run`'s last step."""
    import sys

    from scyc_tune.report.data import load_report_data
    from scyc_tune.report.write import write_report
    from scyc_tune.store import OracleDB

    db = OracleDB(paths.storage)
    data = load_report_data(db, study, paths.artifacts, source)
    where = Path(out) if out else default_out(study.name)
    files = write_report(data, where)
    for line in data.missing:
        print(f"missing: {line}", file=sys.stderr)
    print(f"{files.figures} figures, {len(files.tables)} tables in {where}", file=sys.stderr)
    return ReportFiles(files.html.resolve(), files.html.parent / "table3.md")
