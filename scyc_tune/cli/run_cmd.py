"""`scyc-tune run STUDY.toml`: the whole job, resuming whatever already exists:
oracle, fit (oracle mode), compare, gradients, report. Prints the path of report.html last."""

from __future__ import annotations

import argparse
import sys
import time

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.storage_flags import StoragePaths, add_storage_flags

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
    add_override_flags(parser, "run")
    parser.add_argument("--out", help="report directory (default: storage/reports/<study>)")
    parser.add_argument(
        "--skip", action="append", choices=STEPS, default=[], help="leave out a step (repeatable)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scyc_tune.cli.study_arg import load_args

    study = load_args(args)  # a bad study file (or --set) stops here, before anything runs
    return run_all(
        study,
        args.study,
        StoragePaths.of(args),
        ray_address=args.ray_address,
        out=args.out,
        skip=tuple(args.skip),
    )


def run_all(
    study,
    path: str,
    paths: StoragePaths,
    *,
    ray_address: str | None = None,
    out: str | None = None,
    skip: tuple[str, ...] = (),
) -> int:
    """Every step on ``study`` (loaded from ``path`` with its overrides), each a call of its
    command's function; prints Table 3 (or 2) and the path of report.html last."""
    from scyc_tune.cli import compare_cmd, fit_cmd, gradients_cmd, oracle_cmd, report_cmd

    cannot = _cannot(study)
    files: list[report_cmd.ReportFiles] = []

    def do_report() -> int:
        files.append(report_cmd.report(study, paths, out=out))
        return 0

    steps = {
        "oracle": lambda: oracle_cmd.oracle(study, path, paths, ray_address=ray_address),
        "fit": lambda: fit_cmd.fit(study, path, fit_cmd.FitOptions("oracle", paths)),
        "compare": lambda: compare_cmd.compare(study, path, paths, ray_address=ray_address),
        "gradients": lambda: gradients_cmd.gradients(study, path, paths),
        "report": do_report,
    }
    started = time.monotonic()
    for i, step in enumerate(STEPS, start=1):
        if step in skip:
            continue
        if step in cannot:
            print(f"== step {i}/{len(STEPS)}: {step} skipped: {cannot[step]} ==", file=sys.stderr)
            continue
        print(f"== step {i}/{len(STEPS)}: {step} ==", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        code = steps[step]()
        if code:
            return code
        print(f"== {step} done in {time.monotonic() - t0:.0f} s ==", file=sys.stderr, flush=True)
    print(f"== all done in {time.monotonic() - started:.0f} s ==", file=sys.stderr, flush=True)
    if files:
        # the oracle's answer; a study without an oracle gets its comparison (Table 2)
        which = ("Table 2", "table2.md") if "oracle" in cannot else ("Table 3", "table3.md")
        _summary(path, which[0], files[-1].table3.with_name(which[1]))
        print(files[-1].html)
    return 0


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
    from scyc_tune.study.schema import NO_FIT_SCHEDULE, NO_ORACLE_SCHEDULE

    out = {}
    if study.oracle_label is None:
        out["oracle"] = out["gradients"] = NO_ORACLE_SCHEDULE
    if study.fit_label is None:
        out["fit"] = NO_FIT_SCHEDULE
    if "oracle" in out:
        out.setdefault("fit", "the fit needs the oracle")
    return out
