"""`scyc-tune compare STUDY.toml`: the paper's schedule comparison (Table 2) on Ray Tune."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from scyc_tune.cli.flags import at_least_one
from scyc_tune.cli.progress import status_progress
from scyc_tune.cli.storage_flags import add_storage_flags
from scyc_tune.study import load_study


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare the LR schedules over N seeds (the paper's Table 2)",
        description="Run iterative pruning with every schedule of the comparison (benchmarks "
        "rewound each cycle, LR-warmup-2 tuned on the unpruned network, S-Cyc with its fitted "
        "parameters, auto, and the oracle's max_lr trajectory) for N seeds, each its own "
        "60/20/20 split and initialisation, and print the early-stop test accuracy per lambda. "
        "Re-running trains only what is missing.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    parser.add_argument("--seeds", type=int, help="runs per schedule (default: [compare] seeds)")
    parser.add_argument("--cycles", type=int, help="cycles L (default: the study's)")
    parser.add_argument(
        "--ray-address",
        help="join this Ray cluster (default: $RAY_ADDRESS, else a local Ray instance)",
    )
    parser.add_argument("--max-concurrent", type=int, help="at most N runs at once")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.markdown import Markdown

    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.compare.driver import run_compare
    from scyc_tune.oracle.ray_runner import RayOptions
    from scyc_tune.report.comparison_table import accuracy_table
    from scyc_tune.report.tables import accuracy_markdown
    from scyc_tune.store import OracleDB

    study = load_study(args.study)
    text = Path(args.study).read_text(encoding="utf-8")
    at_least_one(args, "seeds", "cycles", "max_concurrent")
    db = OracleDB(args.storage)
    study_id = db.ensure_study(study.name, text)
    spec = study.compare
    options = RayOptions(
        address=args.ray_address,
        cpus_per_trial=spec.cpus_per_trial,
        gpus_per_trial=spec.gpus_per_trial,
        max_concurrent=args.max_concurrent or spec.max_concurrent,
        asha=False,
        results_dir=Path(args.ray_results),
    )
    err = Console(stderr=True)
    progress = status_progress(err)
    counts = {"trained": 0, "reused": 0, "lost": 0}
    with progress:
        task = progress.add_task("compare", total=None, status="")

        def status() -> str:
            lost = f" lost {counts['lost']}" if counts["lost"] else ""
            return f"cycles trained {counts['trained']} reused {counts['reused']}{lost}"

        def on_start(total: int, done: int) -> None:
            progress.update(task, total=total, completed=done, status=status())

        def on_cycle(row, seed, stored) -> None:
            counts["reused" if stored.reused else "trained"] += 1
            lam = f"{stored.percent_remaining:.3g}"
            progress.update(task, advance=1, status=f"{status()}; {row.label} seed {seed} λ {lam}")

        def on_lost(row, seed) -> None:
            counts["lost"] += 1
            progress.update(task, status=status())

        comp = run_compare(
            study,
            study_id,
            db,
            Path(args.artifacts),
            options,
            seeds=args.seeds,
            cycles=args.cycles,
            on_start=on_start,
            on_cycle=on_cycle,
            on_lost=on_lost,
        )
    table = accuracy_table(comp, study.pruning.rate)
    stdout_console().print(
        Markdown(f"**{study.name}: schedule comparison**\n\n" + accuracy_markdown(table))
    )
    for line in comp.plan.missing:
        err.print(f"not run: {line}")
    if comp.lost:
        err.print(
            f"runs lost with their worker (re-run to retry; finished cycles are kept): "
            f"{', '.join(comp.lost)}"
        )
    err.print(
        f"cycles trained now {comp.trained_now}, loaded from earlier runs {comp.reused_now}; "
        f"stored in {args.storage}"
    )
    return 0
