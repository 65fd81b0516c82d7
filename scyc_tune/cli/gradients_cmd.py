"""`scyc-tune gradients STUDY.toml`: the gradient and hidden-representation distributions
per lambda (the paper's Section 3), and whether they narrowed."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from scyc_tune.cli.flags import at_least_one
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.storage_flags import add_storage_flags
from scyc_tune.cli.study_arg import load_checked


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gradients",
        help="distribution of weight gradients and hidden representations per lambda",
        description="At the end of training in each cycle of a source (the oracle's winners, "
        "or a comparison row at the study seed), measure the gradients of the surviving weights "
        "and the ReLU outputs on fixed training batches: Sturges histograms and the share "
        "beyond the unpruned network's percentiles. Stored; a rerun measures only new states.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    parser.add_argument(
        "--source",
        help="'oracle' or a comparison row label (default: the oracle's schedule as written "
        "when `compare` has run it, else 'oracle')",
    )
    parser.add_argument(
        "--batches", type=int, default=8, help="training batches measured (default 8)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scyc_tune.analysis.narrowing import narrowing, series_verdict
    from scyc_tune.analysis.record import default_source, record_distributions
    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.store import OracleDB

    study = load_checked(args.study)
    at_least_one(args, "batches")
    text = Path(args.study).read_text(encoding="utf-8")
    db = OracleDB(args.storage)
    study_id = db.ensure_study(study.name, text)
    source = args.source or default_source(db, study, study_id)
    with StepProgress(f"gradients ({source})") as progress:
        started = [False]

        def on_cycle(done: int, total: int, now: bool) -> None:
            if not started[0]:
                progress.start(total, 0)
                started[0] = True
            progress.finished("trained" if now else "loaded", f"cycle {done}/{total}")

        cycles = record_distributions(
            db,
            study,
            study_id,
            Path(args.artifacts),
            source,
            num_batches=args.batches,
            on_cycle=on_cycle,
        )
    table = Table(title=f"{study.name}: distributions at the end of training ({source})")
    for col in (
        "lambda",
        "|grad| p97",
        "grad std",
        "grad beyond ref p97",
        "narrower",
        "hidden std",
        "hidden beyond ref p97",
        "narrower",
    ):
        table.add_column(col, justify="right")
    ref = cycles[0]
    for c in cycles:
        cells = [
            f"{c.percent_remaining:.3g}",
            f"{c.weight_grad.abs_quantiles[2]:.3g}",
            f"{c.weight_grad.std:.3g}",
        ]
        for kind in ("weight_grad", "hidden"):
            d, r = getattr(c, kind), getattr(ref, kind)
            share = d.tail[d.tail_levels.index(0.97)]
            verdict = "ref" if c.cycle == 0 else ("yes" if narrowing(r, d).narrower else "no")
            if kind == "hidden":
                cells.append(f"{d.std:.3g}")
            cells += [f"{100 * share:.2f}%", verdict]
        table.add_row(*cells)
    out = stdout_console()
    out.print(table)
    for kind, what in (("weight_grad", "grad"), ("hidden", "hidden")):
        pairs = [(c.percent_remaining, getattr(c, kind)) for c in cycles]
        out.print(f"{what}: {series_verdict(pairs, what=what)}")
    return 0
