"""`scyc-tune schedule NAME ...`: print a schedule's per-cycle max_lr (and LRs) as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from pydantic import ValidationError

from scyc_tune.cli.flags import add_model_flags, collect_model_flags
from scyc_tune.errors import UsageError
from scyc_tune.schedules import SCHEDULES, CycleContext


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="inspect a schedule without training: per-cycle max_lr as JSON",
        description="Print {'schedule', 'params', 'cycles': [{'cycle', 'lambda', 'max_lr'"
        "[, 'lr']}]} for a schedule family. Flags are the family's parameters.",
    )
    families = parser.add_subparsers(dest="family", metavar="NAME", required=True)
    for family, params_cls in SCHEDULES.items():
        sub = families.add_parser(family, help=_first_line(params_cls))
        names = add_model_flags(sub, params_cls)
        sub.add_argument("--rate", type=float, default=0.2, help="pruning rate p (default 0.2)")
        sub.add_argument("--cycles", type=int, default=14, help="cycles L, m = 0..L-1 (default 14)")
        sub.add_argument(
            "--iterations",
            type=int,
            default=None,
            help="iterations per cycle; adds an 'lr' list per cycle",
        )
        if params_cls.needs_gradients:
            sub.add_argument(
                "--gradient-scale",
                type=float,
                default=None,
                help="preview with this gradient spread ratio s_0/s_m for every m > 0 (it is "
                "measured on the network during `prune`)",
            )
        if params_cls.needs_range_test:
            sub.add_argument(
                "--range-test-lr",
                type=float,
                default=None,
                help="preview with this suggested max_lr for every cycle (the LR range test "
                "runs on the network at the start of each cycle during training)",
            )
        sub.set_defaults(handler=run, param_names=names)


def _first_line(cls: type) -> str:
    doc = sys.modules[cls.__module__].__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else cls.family


def run(args: argparse.Namespace) -> int:
    params_cls = SCHEDULES[args.family]
    raw = collect_model_flags(args, args.param_names)
    try:
        params = params_cls.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'.'.join(str(p) for p in e['loc'])} = {e.get('input')!r}: {e['msg']}"
            for e in exc.errors()
        )
        raise UsageError(f"schedule {args.family}: {problems}") from None
    if not 0 < args.rate < 1:
        raise UsageError(f"--rate {args.rate}: the pruning rate must be in (0, 1)")
    if args.cycles < 1:
        raise UsageError(f"--cycles {args.cycles}: need at least one cycle")
    if args.iterations is not None and args.iterations < 1:
        raise UsageError(f"--iterations {args.iterations}: must be a positive integer")
    if params_cls.needs_iterations and args.iterations is None:
        raise UsageError(f"schedule {args.family} depends on the cycle length: give --iterations N")

    scale = getattr(args, "gradient_scale", None)
    if params_cls.needs_gradients and args.cycles > 1 and scale is None:
        raise UsageError(
            f"schedule {args.family} derives max_lr from the network's gradients, which `prune` "
            "measures: give --gradient-scale S (s_0/s_m) to preview it, or --cycles 1"
        )
    if scale is not None and not scale > 0:
        raise UsageError(f"--gradient-scale {scale}: must be > 0")

    suggested = getattr(args, "range_test_lr", None)
    if params_cls.needs_range_test and suggested is None:
        raise UsageError(
            f"schedule {args.family} takes max_lr from an LR range test on the network at each "
            "cycle's start: give --range-test-lr LR to preview it"
        )
    if suggested is not None and not suggested > 0:
        raise UsageError(f"--range-test-lr {suggested}: must be > 0")

    cycles = []
    for m in range(args.cycles):
        ctx = CycleContext(
            m, args.rate, args.iterations, gradient_scale=scale, range_test_lr=suggested
        )
        schedule = params.build(ctx)
        entry = {"cycle": m, "lambda": round(ctx.percent_remaining, 10), "max_lr": schedule.max_lr}
        if args.iterations is not None:
            entry["lr"] = schedule.lrs(args.iterations)
        cycles.append(entry)
    print(json.dumps({"schedule": args.family, "params": params.params(), "cycles": cycles}))
    return 0
