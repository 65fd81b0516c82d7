"""`scyc-tune prune STUDY.toml`: run iterative pruning with a live progress display."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.study_arg import load_args
from scyc_tune.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "prune",
        help="run iterative pruning for a study and print a per-cycle table",
        description="Train the unpruned network, then prune, (rewind,) and retrain for each "
        "cycle m = 1..L-1 with the study's schedule; print lambda, max_lr and accuracies.",
    )
    parser.add_argument("study", help="study file (.toml), e.g. studies/demo.toml")
    parser.add_argument(
        "--schedule", help="label of a [schedules.LABEL] table (default: the study's schedule)"
    )
    add_override_flags(parser, "prune")
    parser.add_argument("--json", action="store_true", help="print the records as JSON instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # the engine imports torchvision and the models: only load it for this command
    from scyc_tune.cli.tables import records_table, stdout_console
    from scyc_tune.engine import resolve_device
    from scyc_tune.runs.chain import run_pruning

    study = load_args(args)
    if args.schedule is not None and args.schedule not in study.schedules:
        raise UsageError(
            f"--schedule {args.schedule!r}: {args.study} has no [schedules.{args.schedule}]; "
            f"labels: {', '.join(sorted(study.schedules))}"
        )
    device = resolve_device(study.training.device)
    label = args.schedule or study.schedule
    n_cycles = study.pruning.cycles
    err = Console(stderr=True)
    err.print(
        f"[bold]{study.name}[/]: {study.model.name} on {study.data.name}, "
        f"{study.pruning.method} at p={study.pruning.rate}, schedule {label!r}, "
        f"{n_cycles} cycles on {device}"
    )

    with StepProgress("prune") as progress:
        progress.start(n_cycles, 0)

        def on_cycle_start(m: int, total: int) -> None:
            progress.status(f"cycle {m + 1}/{total} training")

        def on_progress(done: int, total: int, metrics: dict) -> None:
            val, loss = 100 * metrics["val_acc"], metrics["train_loss"]
            progress.status(f"iteration {done}/{total}: val {val:.1f}%  loss {loss:.3f}")

        def on_cycle_end(result) -> None:
            r = result.record
            note = "diverged" if r.diverged else f"val {100 * r.val_acc:.1f}%"
            progress.finished(
                "trained",
                f"cycle {r.cycle + 1}/{n_cycles} lambda {r.percent_remaining:.3g}: {note}",
            )

        records = run_pruning(
            study,
            label,
            n_cycles,
            device,
            on_cycle_start=on_cycle_start,
            on_progress=on_progress,
            on_cycle_end=on_cycle_end,
        )

    if args.json:
        print(json.dumps([r.to_dict() for r in records], indent=2))
    else:
        stdout_console().print(records_table(records, title=f"{study.name}: schedule {label!r}"))
    if records and records[-1].diverged:
        err.print(
            f"[yellow]cycle {records[-1].cycle + 1} diverged (loss became NaN/inf); "
            "later cycles were not run. Lower the schedule's max_lr.[/]"
        )
    return 0
