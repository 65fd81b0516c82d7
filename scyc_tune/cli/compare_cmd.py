"""`scyc-tune compare STUDY.toml`: the paper's schedule comparison (Table 2) on Ray Tune."""

from __future__ import annotations

import argparse
from pathlib import Path

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.storage_flags import StoragePaths, add_storage_flags
from scyc_tune.cli.study_arg import load_args
from scyc_tune.errors import ScycError
from scyc_tune.study import Study


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare the LR schedules over N seeds (the paper's Table 2)",
        description="Run iterative pruning with every schedule of the comparison (benchmarks "
        "rewound each cycle, their LR grid-tuned on the unpruned network first, LR-warmup-2 "
        "tuned by the oracle's cycle 0, S-Cyc as written and with its fitted parameters, auto, "
        "the LR range test and the oracle's max_lr trajectory) for N seeds, each its own "
        "60/20/20 split and initialisation, and print the early-stop test accuracy per lambda. "
        "Re-running trains only what is missing.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    add_override_flags(parser, "compare")
    parser.add_argument(
        "--ray-address",
        help="join this Ray cluster (default: $RAY_ADDRESS, else a local Ray instance)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    study = load_args(args)
    return compare(study, args.study, StoragePaths.of(args), ray_address=args.ray_address)


def compare(study: Study, path: str, paths: StoragePaths, *, ray_address: str | None = None) -> int:
    """Run (or resume) the schedule comparison of ``study`` (loaded from ``path`` with its
    overrides) and print Table 2; the `compare` command and `run`'s third step."""
    from rich.markdown import Markdown

    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.compare.driver import run_compare
    from scyc_tune.report.comparison_table import accuracy_table
    from scyc_tune.report.tables import accuracy_markdown
    from scyc_tune.runs.launch import RayOptions
    from scyc_tune.store import OracleDB

    text = Path(path).read_text(encoding="utf-8")
    db = OracleDB(paths.storage)
    study_id = db.studies.ensure(study.name, text)
    spec = study.compare
    options = RayOptions.of(spec, ray_address, paths.ray_results)
    with StepProgress("compare") as progress:

        def on_tuning(total: int, done: int) -> None:
            progress.start(total, done, description="compare: the benchmarks' LR (cycle 0)")

        def on_start(total: int, done: int) -> None:
            progress.start(total, done, description="compare (cycles)")

        def on_cycle(row, seed, stored, reused) -> None:
            what = f"{row.label} seed {seed} lambda {stored.percent_remaining:.3g}"
            acc = f"test {100 * stored.test_acc:.1f}%" if stored.test_acc is not None else ""
            progress.finished("loaded" if reused else "trained", f"{what} {acc}".strip())

        def on_lost(row, seed) -> None:
            progress.finished("lost", f"{row.label} seed {seed}: lost with its worker")

        def on_failed(row, seed, error) -> None:
            progress.finished("failed", f"{row.label} seed {seed}: failed: {error}")

        comp = run_compare(
            study,
            study_id,
            db,
            paths.artifacts,
            options,
            on_start=on_start,
            on_cycle=on_cycle,
            on_lost=on_lost,
            on_failed=on_failed,
            on_tuning=on_tuning,
        )
    table = accuracy_table(comp, study.pruning.rate)
    stdout_console().print(
        Markdown(f"**{study.name}: schedule comparison**\n\n" + accuracy_markdown(table))
    )
    for line in comp.plan.missing:
        progress.note(f"not run: {line}")
    progress.note(f"compare: cycles {progress.tally.text()}; in {paths.storage}")
    if comp.failed:
        more = f" (and {len(comp.failed) - 1} more runs)" if len(comp.failed) > 1 else ""
        raise ScycError(f"compare: run {comp.failed[0]}{more}")
    if comp.lost:  # the table is missing those runs: not a finished comparison
        raise ScycError(
            f"compare: {len(comp.lost)} run(s) lost with their worker ({', '.join(comp.lost)});"
            " the table above lacks them: re-run to finish them (finished cycles are kept)"
        )
    return 0
