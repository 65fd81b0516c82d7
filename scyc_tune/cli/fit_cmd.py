"""`scyc-tune fit STUDY.toml --mode oracle|accuracy`: fit S-Cyc's (epsilon, delta, beta, q)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.storage_flags import StoragePaths, add_storage_flags
from scyc_tune.cli.study_arg import load_args
from scyc_tune.errors import ScycError, UsageError
from scyc_tune.study import Study
from scyc_tune.study.schema import NO_FIT_SCHEDULE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit S-Cyc's parameters with Optuna, to the oracle or by validation accuracy",
        description="--mode oracle: score S-Cyc's per-cycle max_lr against a stored oracle "
        "(no training; seconds). --mode accuracy: run iterative pruning with each parameter "
        "set on Ray Tune workers and score it by validation accuracy (the paper's criterion). "
        "Both write Optuna studies '<study>/fit-<mode>' into --storage and save the best "
        "parameters there.",
    )
    parser.add_argument("study", help="study file (.toml)")
    parser.add_argument("--mode", choices=("oracle", "accuracy"), required=True)
    add_storage_flags(parser)
    add_override_flags(parser, "fit")
    parser.add_argument(
        "--ray-address",
        help="accuracy: join this Ray cluster (default: $RAY_ADDRESS, else a local instance)",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(handler=run)


@dataclass(frozen=True)
class FitOptions:
    """What `fit` needs beside the study (trial counts, cycles, concurrency: the study's)."""

    mode: str  # 'oracle' or 'accuracy'
    paths: StoragePaths = StoragePaths()
    ray_address: str | None = None
    as_json: bool = False


def run(args: argparse.Namespace) -> int:
    study = load_args(args)
    options = FitOptions(args.mode, StoragePaths.of(args), args.ray_address, args.json)
    return fit(study, args.study, options)


def fit(study: Study, path: str, opts: FitOptions) -> int:
    """Fit S-Cyc to the oracle or by accuracy (``opts.mode``) for ``study``, loaded from
    ``path`` with its overrides; the `fit` command and `run`'s second step."""
    import optuna

    text = Path(path).read_text(encoding="utf-8")
    if study.fit_label is None:
        raise UsageError(f"{path}: {NO_FIT_SCHEDULE}")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    _outside_ranges(path, study)
    from scyc_tune.store import OracleDB

    db = OracleDB(opts.paths.storage)
    row = db.studies.named(study.name)
    if row is None and opts.mode == "oracle":
        return _oracle(opts, study, text)  # no oracle to fit to: says so, writes nothing
    study_id = row.id if row is not None else db.studies.ensure(study.name, text)
    with db.leases.hold(study_id, f"fit-{opts.mode}"):  # one fit of each mode at a time
        if opts.mode == "oracle":
            return _oracle(opts, study, text)
        return _accuracy(opts, study, text)


def _outside_ranges(path: str, study: Study) -> None:
    """The study file's S-Cyc parameters (the first, enqueued trial) outside the search
    ranges: one line naming the keys, in place of Optuna's 'Fixed parameter ... is out of
    range' warning for every enqueued trial."""
    import warnings

    warnings.filterwarnings("ignore", message=r"Fixed parameter .* is out of range")
    paper = study.schedules[study.fit_schedule_label()]
    ranges = {name: (r.low, r.high) for name, r in study.fit_ranges().items()}
    ranges["q"] = tuple(study.fit.q)
    outside = [
        f"{name} = {getattr(paper, name):g} (fit.{name}: [{low:g}, {high:g}])"
        for name, (low, high) in ranges.items()
        if not low <= getattr(paper, name) <= high
    ]
    if outside:
        print(
            f"scyc-tune: warning: {path}: the study file's S-Cyc parameters lie outside the "
            f"search ranges: {'; '.join(outside)}; the first trial is scored with them anyway",
            file=sys.stderr,
        )


def _oracle(opts: FitOptions, study: Study, text: str) -> int:
    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.fit.held_out import held_out
    from scyc_tune.fit.oracle_fit import curve, fit_oracle
    from scyc_tune.oracle.load import load_oracle, oracle_seeds
    from scyc_tune.report.auto_row import auto_params, measured_curve
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.report.tables import oracle_terminal
    from scyc_tune.store import OracleDB
    from scyc_tune.store.entries import FitEntry

    db = OracleDB(opts.paths.storage)
    oracle = load_oracle(db, study)
    n = study.fit.oracle_trials
    with StepProgress("fit to the oracle") as progress:
        progress.start(n, 0, log=False)

        def on_trial(number: int, best: float) -> None:
            progress.finished("trained", log=False)
            progress.status(f"best score {best:.4f}")

        fit = fit_oracle(study, oracle, opts.paths.storage, n, on_trial)
    study_id = db.studies.ensure(study.name, text)
    db.fits.save(
        study_id,
        FitEntry("oracle", fit.params.model_dump(), fit.fitted.score, fit.study_name, fit.trials),
    )
    held = held_out(study, lambda s: db.oracle.answers(study_id, s), oracle_seeds(study), n)
    cycles = [o.cycle for o in oracle]
    rows = {
        "S-Cyc (paper)": curve(fit.paper, study.pruning.rate, cycles),
        "S-Cyc (fitted, in-sample)": curve(fit.params, study.pruning.rate, cycles),
    }
    auto_label, auto = auto_params(study, oracle)
    try:
        rows[auto_label] = measured_curve(study, oracle, opts.paths.artifacts, auto)
    except ScycError as exc:
        progress.note(f"[yellow]no auto row: {exc}[/yellow]")
    if opts.as_json:
        print(
            json.dumps(
                {
                    "optuna_study": fit.study_name,
                    "trials": fit.trials,
                    "fitted": _params(fit.params),
                    "paper": _params(fit.paper),
                    "fitted_inside": fit.fitted.inside,
                    "fitted_msld": fit.fitted.msld,
                    "paper_inside": fit.paper_match.inside,
                    "paper_msld": fit.paper_match.msld,
                    "held_out": None
                    if held is None
                    else {
                        "folds": [
                            {
                                "seed": f.seed,
                                "fitted_inside": f.fitted.inside,
                                "paper_inside": f.paper.inside,
                                "fitted": _params(f.params),
                            }
                            for f in held.folds
                        ],  # fmt: skip
                        "cycles": held.cycles,
                        "fitted_inside": held.fitted_inside,
                        "paper_inside": held.paper_inside,
                        "of": held.total,
                    },
                    "cycles": [
                        {
                            "cycle": o.cycle,
                            "lambda": o.percent_remaining,
                            "well_tuned": o.well_tuned,
                            "region": [o.low, o.high],
                            **{label: values[i] for label, values in rows.items()},
                        }
                        for i, o in enumerate(oracle)
                    ],
                },
                indent=2,
            )
        )
    else:
        out = stdout_console()
        table = table3(study, oracle, len(oracle), list(rows.items()))
        out.print(oracle_terminal(table, title=f"{study.name}: S-Cyc fitted to the oracle"))
        p = fit.params
        out.print(
            f"fitted: epsilon={p.epsilon:.4g} delta={p.delta:.4g} beta={p.beta:.3g} q={p.q:g} "
            f"({fit.fitted.inside}/{len(oracle)} cycles inside, mean squared log-distance "
            f"{fit.fitted.msld:.3g}; the paper's: {fit.paper_match.inside}/{len(oracle)}, "
            f"{fit.paper_match.msld:.3g}); {fit.trials} trials in Optuna study "
            f"{fit.study_name!r}"
        )
        if held is not None:
            out.print(f"fitted, {held.sentence()}")
    return 0


def _params(p) -> dict:
    return {"epsilon": p.epsilon, "delta": p.delta, "beta": p.beta, "q": p.q}


def _accuracy(opts: FitOptions, study: Study, text: str) -> int:
    from optuna.trial import TrialState

    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.fit.accuracy_fit import fit_accuracy
    from scyc_tune.fit.trial_table import trials_table
    from scyc_tune.runs.launch import RayOptions
    from scyc_tune.store import OracleDB
    from scyc_tune.store.entries import FitEntry
    from scyc_tune.study.fit_schedule import with_params

    db = OracleDB(opts.paths.storage)  # opens (and migrates) the storage before any training
    spec = study.fit
    options = RayOptions.of(spec, opts.ray_address, opts.paths.ray_results)
    n = spec.accuracy_trials
    best: list[float] = []
    with StepProgress("fit by accuracy") as progress:

        def on_start(total: int, finished: int) -> None:
            progress.start(total, finished)
            progress.tally.loaded += finished

        def on_report(row: dict) -> None:
            cycles["loaded" if row["reused"] else "trained"] += 1
            progress.status(f"cycles trained {cycles['trained']}, loaded {cycles['loaded']}")

        def on_told(frozen, reports) -> None:
            kind = {TrialState.COMPLETE: "trained", TrialState.PRUNED: "stopped"}.get(
                frozen.state, "failed"
            )
            if frozen.state == TrialState.COMPLETE:
                best.append(frozen.value)
                what = f"trial {frozen.number}: {100 * frozen.value:.2f}%"
            elif kind == "stopped":
                what = f"trial {frozen.number}: pruned after {len(reports)} cycles"
            elif frozen.user_attrs.get("error"):
                what = f"trial {frozen.number}: failed: {frozen.user_attrs['error']}"
            else:  # ended without a result or an exception: its worker died
                kind, what = "lost", f"trial {frozen.number}: lost with its worker"
            progress.finished(kind, what)
            if best:
                progress.status(f"best {100 * max(best):.2f}%")

        cycles = {"trained": 0, "loaded": 0}
        fit = fit_accuracy(
            study,
            opts.paths.storage,
            opts.paths.artifacts,
            options,
            n,
            on_told=on_told,
            on_report=on_report,
            on_start=on_start,
        )
    if fit.best is None and fit.errors:
        raise ScycError(f"fit by accuracy: {fit.errors[0]}" + _more(fit.errors))
    if fit.best is None:
        raise ScycError(
            f"no trial of {fit.study_name!r} completed (see its failed trials in the dashboard)"
        )
    fitted = with_params(study, fit.best.params)
    db.fits.save(
        db.studies.ensure(study.name, text),
        FitEntry("accuracy", fitted.model_dump(), fit.best.value, fit.study_name, len(fit.trials)),
    )
    reused_total = sum(t.user_attrs.get("cycles_reused", 0) for t in fit.trials)
    trained_total = sum(t.user_attrs.get("cycles_trained", 0) for t in fit.trials)
    summary = {
        "optuna_study": fit.study_name,
        "trials": len(fit.trials),
        "ran_now": fit.ran_now,
        "recovered": fit.recovered,
        "best": {"number": fit.best.number, "value": fit.best.value, **fit.best.params},
        "paper": None
        if fit.paper is None
        else {"number": fit.paper.number, "value": fit.paper.value, **fit.paper.params},
        "cycles_trained_now": fit.cycles_trained_now,
        "cycles_reused_now": fit.cycles_reused_now,
        "cycles_trained_total": trained_total,
        "cycles_reused_total": reused_total,
    }
    if opts.as_json:
        print(json.dumps(summary, indent=2))
        return 0
    out = stdout_console()
    out.print(trials_table(fit.trials, title=f"{study.name}: S-Cyc fitted by accuracy"))
    paper = "not finished" if fit.paper is None else f"{100 * fit.paper.value:.2f}%"
    out.print(
        f"best: trial {fit.best.number}, score {100 * fit.best.value:.2f}% (paper parameters: "
        f"{paper}); cycle trainings saved by reuse: {fit.cycles_reused_now} now, "
        f"{reused_total} in all ({trained_total} trained)"
    )
    progress.tally.retried = len(fit.recovered)
    if fit.recovered:
        progress.note(f"trials left running by a killed run, failed and retried: {fit.recovered}")
    progress.note(f"fit by accuracy: trials {progress.tally.text()}; in {opts.paths.storage}")
    if fit.errors:
        raise ScycError(f"fit by accuracy: {fit.errors[0]}" + _more(fit.errors))
    return 0


def _more(errors: list[str]) -> str:
    return f" (and {len(errors) - 1} more failed trials)" if len(errors) > 1 else ""
