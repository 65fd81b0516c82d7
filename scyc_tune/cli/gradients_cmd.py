"""`scyc-tune gradients STUDY.toml`: the gradient and hidden-representation distributions
per lambda (the paper's Section 3), and whether they narrowed."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.storage_flags import StoragePaths, add_storage_flags
from scyc_tune.cli.study_arg import load_args
from scyc_tune.errors import UsageError
from scyc_tune.study import Study


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
    add_override_flags(parser, "gradients")
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
    study = load_args(args)
    return gradients(
        study, args.study, StoragePaths.of(args), source=args.source, batches=args.batches
    )


def gradients(
    study: Study, path: str, paths: StoragePaths, *, source: str | None = None, batches: int = 8
) -> int:
    """Measure (or load) the distributions of ``study`` (loaded from ``path`` with its
    overrides) and print their table; the `gradients` command and `run`'s fourth step."""
    if batches < 1:
        raise UsageError(f"--batches {batches}: must be at least 1")
    from scyc_tune.analysis.narrowing import narrowing, series_verdict
    from scyc_tune.analysis.record import default_source, record_distributions
    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.store import OracleDB

    text = Path(path).read_text(encoding="utf-8")
    db = OracleDB(paths.storage)
    study_id = db.studies.ensure(study.name, text)
    source = source or default_source(db, study, study_id)
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
            paths.artifacts,
            source,
            num_batches=batches,
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
