"""`scyc-tune report STUDY.toml`: the HTML report and the paper's tables from the storage."""

from __future__ import annotations

import argparse
from pathlib import Path

from scyc_tune.cli.flags import at_least_one
from scyc_tune.cli.storage_flags import add_storage_flags
from scyc_tune.cli.study_arg import load_checked


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
    parser.add_argument(
        "--seeds", type=int, help="comparison seeds shown (default: [compare] seeds)"
    )
    parser.set_defaults(handler=run)


def default_out(study_name: str) -> Path:
    return Path("storage") / "reports" / study_name.replace("/", "_")


def run(args: argparse.Namespace) -> int:
    import sys

    from scyc_tune.report.data import load_report_data
    from scyc_tune.report.write import write_report
    from scyc_tune.store import OracleDB

    study = load_checked(args.study)
    db = OracleDB(args.storage)
    at_least_one(args, "seeds")
    data = load_report_data(db, study, Path(args.artifacts), args.source, args.seeds)
    out = Path(args.out) if args.out else default_out(study.name)
    files = write_report(data, out)
    for line in data.missing:
        print(f"missing: {line}", file=sys.stderr)
    print(f"{files.figures} figures, {len(files.tables)} tables in {out}", file=sys.stderr)
    args.report_html = files.html.resolve()  # `run` prints it last
    args.report_table3 = files.html.parent / "table3.md"  # and this table before it
    if getattr(args, "print_path", True):
        print(args.report_html)
    return 0
