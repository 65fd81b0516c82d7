"""`scyc-tune prune STUDY.toml`: run iterative pruning with a live progress display."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from scyc_tune.cli.progress import status_progress
from scyc_tune.errors import UsageError
from scyc_tune.study import load_study


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
    parser.add_argument("--cycles", type=int, help="cycles L, m = 0..L-1 (default: the study's)")
    parser.add_argument("--device", help="'auto', 'cpu', 'cuda', 'cuda:N' (default: the study's)")
    parser.add_argument("--json", action="store_true", help="print the records as JSON instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # the engine imports torchvision and the models: only load it for this command
    from scyc_tune.cli.tables import records_table, stdout_console
    from scyc_tune.engine import resolve_device, run_pruning

    study = load_study(args.study)
    if args.schedule is not None and args.schedule not in study.schedules:
        raise UsageError(
            f"--schedule {args.schedule!r}: {args.study} has no [schedules.{args.schedule}]; "
            f"labels: {', '.join(sorted(study.schedules))}"
        )
    if args.cycles is not None and args.cycles < 1:
        raise UsageError(f"--cycles {args.cycles}: need at least one cycle")
    device = resolve_device(args.device or study.training.device)
    label = args.schedule or study.schedule
    n_cycles = args.cycles or study.pruning.cycles
    err = Console(stderr=True)
    err.print(
        f"[bold]{study.name}[/]: {study.model.name} on {study.data.name}, "
        f"{study.pruning.method} at p={study.pruning.rate}, schedule {label!r}, "
        f"{n_cycles} cycles on {device}"
    )

    progress = status_progress(err)
    with progress:
        overall = progress.add_task("cycles", total=n_cycles, status="")
        current = progress.add_task("cycle 0", total=1, status="")

        def on_cycle_start(m: int, total: int) -> None:
            progress.reset(current, total=study.training.iterations_for(m), completed=0)
            progress.update(current, description=f"cycle {m}", status="")

        def on_progress(done: int, total: int, metrics: dict) -> None:
            status = f"val {100 * metrics['val_acc']:.1f}%  loss {metrics['train_loss']:.3f}"
            progress.update(current, completed=done, status=status)

        def on_cycle_end(result) -> None:
            r = result.record
            note = "diverged" if r.diverged else f"val {100 * r.val_acc:.1f}%"
            progress.update(overall, advance=1, status=f"lambda {r.percent_remaining:.1f}: {note}")

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
            f"[yellow]cycle {records[-1].cycle} diverged (loss became NaN/inf); "
            "later cycles were not run. Lower the schedule's max_lr.[/]"
        )
    return 0
