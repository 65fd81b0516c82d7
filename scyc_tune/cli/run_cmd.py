"""`scyc-tune run STUDY.toml`: the whole job, resuming whatever already exists:
oracle, fit (oracle mode), compare, gradients, report. Prints the path of report.html last."""

from __future__ import annotations

import argparse
import sys
import time

from scyc_tune.cli.storage_flags import add_storage_flags

STEPS = ("oracle", "fit", "compare", "gradients", "report")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="the whole job: oracle, fit, compare, gradients, report (resumes)",
        description="Run the oracle, fit S-Cyc to it, compare the schedules, measure the "
        "gradient distributions and write the report, each step skipping what the storage "
        "already holds. Ends by printing the path of report.html.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    parser.add_argument(
        "--ray-address",
        help="join this Ray cluster (default: $RAY_ADDRESS, else a local Ray instance)",
    )
    parser.add_argument("--seeds", type=int, help="comparison runs per schedule")
    parser.add_argument("--out", help="report directory (default: storage/reports/<study>)")
    parser.add_argument(
        "--skip", action="append", choices=STEPS, default=[], help="leave out a step (repeatable)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scyc_tune.cli.study_arg import load_checked

    study = load_checked(args.study)  # a bad study file stops here, before anything runs
    cannot = _cannot(study)
    common = [
        "--storage",
        args.storage,
        "--artifacts",
        args.artifacts,
        "--ray-results",
        args.ray_results,
    ]
    ray = ["--ray-address", args.ray_address] if args.ray_address else []
    argv = {
        "oracle": ["oracle", args.study, *common, *ray],
        "fit": ["fit", args.study, "--mode", "oracle", *common],
        "compare": ["compare", args.study, *common, *ray]
        + (["--seeds", str(args.seeds)] if args.seeds else []),
        "gradients": ["gradients", args.study, *common],
        "report": ["report", args.study, *common]
        + (["--out", args.out] if args.out else [])
        + (["--seeds", str(args.seeds)] if args.seeds else []),
    }
    parser = _step_parser()
    started = time.monotonic()
    report = table3 = None
    for i, step in enumerate(STEPS, start=1):
        if step in args.skip:
            continue
        if step in cannot:
            print(f"== step {i}/{len(STEPS)}: {step} skipped: {cannot[step]} ==", file=sys.stderr)
            continue
        print(f"== step {i}/{len(STEPS)}: {step} ==", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        step_args = parser.parse_args(argv[step])
        step_args.print_path = False
        code = step_args.handler(step_args)
        report = getattr(step_args, "report_html", None) or report
        table3 = getattr(step_args, "report_table3", None) or table3
        if code:
            return code
        print(f"== {step} done in {time.monotonic() - t0:.0f} s ==", file=sys.stderr, flush=True)
    print(f"== all done in {time.monotonic() - started:.0f} s ==", file=sys.stderr, flush=True)
    if table3 is not None:
        # the oracle's answer; a study without an oracle gets its comparison (Table 2)
        which = ("Table 2", "table2.md") if "oracle" in cannot else ("Table 3", "table3.md")
        _summary(args.study, which[0], table3.with_name(which[1]))
    if report is not None:
        print(report)
    return 0


def _step_parser() -> argparse.ArgumentParser:
    """The parser of the steps' own commands (not cli.main's, which registers this one)."""
    from scyc_tune.cli import compare_cmd, fit_cmd, gradients_cmd, oracle_cmd, report_cmd

    parser = argparse.ArgumentParser(prog="scyc-tune")
    steps = parser.add_subparsers(dest="command", required=True)
    for module in (oracle_cmd, fit_cmd, compare_cmd, gradients_cmd, report_cmd):
        module.register(steps)
    return parser


def _summary(study: str, name: str, table) -> None:
    """The result in the terminal: Table 3 (well-tuned max_lr, feasible region, the curves),
    or Table 2 for a study without an oracle."""
    from rich.markdown import Markdown

    from scyc_tune.cli.tables import stdout_console

    out = stdout_console()
    if not table.is_file():
        return
    what = "the oracle's answer" if name == "Table 3" else "the schedule comparison"
    out.print(Markdown(f"**{study}: {what} ({name})**\n\n" + table.read_text()))


def _cannot(study) -> dict[str, str]:
    """Steps this study cannot do, with the reason (the study file's own words)."""
    out = {}
    try:
        study.oracle_schedule_label()
    except ValueError as exc:
        out["oracle"] = out["gradients"] = str(exc)
    try:
        study.fit_schedule_label()
    except ValueError as exc:
        out["fit"] = str(exc)
    if "oracle" in out:
        out.setdefault("fit", "the fit needs the oracle")
    return out
