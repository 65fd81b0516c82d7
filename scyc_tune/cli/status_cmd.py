"""`scyc-tune status`: the studies in a storage and how far each has got."""

from __future__ import annotations

import argparse

from rich.table import Table

from scyc_tune.cli.storage_flags import add_storage_flags


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help="list the studies in a storage and their cycles")
    add_storage_flags(parser)  # --storage defaults to $SCYC_STORAGE like every command's
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.store import OracleDB

    db = OracleDB(args.storage)
    table = Table(title=f"studies in {args.storage}")
    for name in ("study", "cycles", "complete", "last lambda", "well-tuned (last)", "trials"):
        table.add_column(name)
    for s in db.studies.all():
        cycles = db.oracle.cycles_of(s.id)
        complete = [c for c in cycles if c.status == "complete"]
        counts: dict[str, int] = {}
        for c in cycles:
            for status, n in db.oracle.trial_counts(c.id).items():
                counts[status] = counts.get(status, 0) + n
        last = complete[-1] if complete else None
        table.add_row(
            s.name,
            str(len(cycles)),
            str(len(complete)),
            f"{last.percent_remaining:.3g}" if last else "-",
            f"{last.well_tuned_max_lr:.4g}" if last else "-",
            ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "-",
        )
    stdout_console().print(table)
    return 0
