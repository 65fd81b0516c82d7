"""`scyc-tune oracle STUDY.toml`: the per-cycle max_lr grid search on Ray Tune."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scyc_tune.cli.flags import add_override_flags
from scyc_tune.cli.progress import StepProgress
from scyc_tune.cli.storage_flags import DEFAULT_STORAGE, StoragePaths, add_storage_flags
from scyc_tune.cli.study_arg import load_args
from scyc_tune.errors import UsageError
from scyc_tune.study import Study
from scyc_tune.study.schema import NO_ORACLE_SCHEDULE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "oracle",
        help="grid-search max_lr per pruning cycle on Ray Tune (the paper's greedy oracle)",
        description="For each cycle m, train one trial per max_lr of the grid from the previous "
        "winner, record all of them, report the well-tuned max_lr and the feasible LR region, "
        "and continue from the best. Re-running resumes: finished trials are never retrained.",
    )
    parser.add_argument("study", help="study file (.toml)")
    add_storage_flags(parser)
    parser.add_argument(
        "--ray-address",
        help="join this Ray cluster (default: $RAY_ADDRESS, "
        "else start a local Ray instance sized to this machine)",
    )
    add_override_flags(parser, "oracle")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(handler=run)


class _Display:
    """The oracle's progress: cycle m/L, grid points trained / loaded / failed, best so far."""

    def __init__(self) -> None:
        self.progress = StepProgress("oracle")
        self.running = 0
        self.best: tuple[float, float] | None = None
        self.stored: dict[int, int] = {}  # per cycle: points found stored when it (re)started

    def cycle_started(self, cycle, cycles, lam, total, todo):
        self.running = 0
        self.best = None
        desc = f"cycle {cycle + 1}/{cycles} (lambda {lam:.3g})"
        self.progress.start(total, total - todo, description=desc)
        # a cycle started again (its winner's artifact was trained anew) counts its points once
        self.progress.tally.loaded += (total - todo) - self.stored.get(cycle, 0)
        self.stored[cycle] = total - todo

    def note(self, line: str) -> None:
        self.progress.note(line)

    def points_added(self, why: str, total: int, todo: int) -> None:
        self.progress.note(why)
        self.progress.extend(total, total - todo)
        self.progress.tally.loaded += total - todo

    def trial_event(self, kind, max_lr, val_acc):
        if kind == "start":
            self.running += 1
        elif kind == "lost":  # the driver trains it again: counted, not finished
            self.running = max(0, self.running - 1)
            self.progress.tally.lost += 1
            self.progress.note(f"max_lr {max_lr:g} lost with its worker; training it again")
        else:
            self.running = max(0, self.running - 1)
            if kind in ("done", "loaded") and val_acc is not None:
                if self.best is None or val_acc > self.best[1]:
                    self.best = (max_lr, val_acc)
            what = f"max_lr {max_lr:g} " + {
                "done": "-" if val_acc is None else f"{100 * val_acc:.1f}%",
                "loaded": "-" if val_acc is None else f"{100 * val_acc:.1f}% (stored)",
                "failed": "failed",
                "stopped": "stopped early (ASHA)",
                "lost": "lost with its worker",
            }.get(kind, kind)
            self.progress.finished(_TALLY.get(kind, "trained"), what)
        self._refresh()

    def cycle_finished(self, outcome):
        if outcome.answer.region is not None:
            self.best = (outcome.answer.well_tuned, outcome.answer.region.best_val_acc)
            if not self.progress.live:
                r = outcome.answer.region
                self.progress.note(
                    f"{self.progress.description}: well-tuned max_lr {r.well_tuned:g} "
                    f"({100 * r.best_val_acc:.1f}%), feasible [{r.low:g}, {r.high:g}]"
                )
        self._refresh()

    def _refresh(self):
        best = "" if self.best is None else f"best {self.best[0]:.3g} ({100 * self.best[1]:.1f}%)"
        running = f"running {self.running}" if self.running else ""
        self.progress.status("; ".join(x for x in (running, best) if x))


_TALLY = {"done": "trained", "loaded": "loaded", "failed": "failed", "stopped": "stopped"}


def run(args: argparse.Namespace) -> int:
    study = load_args(args)
    return oracle(
        study, args.study, StoragePaths.of(args), ray_address=args.ray_address, as_json=args.json
    )


def oracle(
    study: Study,
    path: str,
    paths: StoragePaths,
    *,
    ray_address: str | None = None,
    as_json: bool = False,
) -> int:
    """Run (or resume) the oracle of ``study`` (loaded from ``path``, overrides applied) and
    print its table (or JSON); the `oracle` command and `run`'s first step."""
    import optuna

    from scyc_tune.cli.tables import stdout_console
    from scyc_tune.oracle.driver import run_oracle
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.report.tables import oracle_terminal
    from scyc_tune.runs.launch import RayOptions

    text = Path(path).read_text(encoding="utf-8")
    if study.oracle_label is None:
        raise UsageError(f"{path}: {NO_ORACLE_SCHEDULE}")
    options = RayOptions.of(study.oracle, ray_address, paths.ray_results, asha=study.oracle.asha)
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # our display says what happens
    display = _Display()
    with display.progress:
        outcomes = run_oracle(
            study,
            text,
            storage_url=paths.storage,
            artifact_dir=paths.artifacts,
            ray=options,
            progress=display,
        )
    if as_json:
        print(json.dumps([_outcome_json(o, study.oracle.significance) for o in outcomes], indent=2))
    else:
        stdout_console().print(
            oracle_terminal(
                table3(study, [o.answer for o in outcomes], len(outcomes)),
                title=f"{study.name}: oracle",
                extra=_extra_rows(outcomes),
            )
        )
    display.progress.note(
        f"oracle: grid points {display.progress.tally.text()}; in {paths.storage}"
    )
    return 0


def _extra_rows(outcomes) -> list[list[str]]:
    """Rows only this invocation knows: the points ASHA stopped."""
    if any(o.stopped for o in outcomes):
        return [["stopped by ASHA", *(str(len(o.stopped)) for o in outcomes)]]
    return []


def _outcome_json(o, level: float) -> dict:
    a = o.answer
    region = a.region
    from scyc_tune.oracle.region import significance

    apart = significance(a.points, level)  # empty for a single seed's points
    return {
        "cycle": a.cycle,
        "lambda": a.percent_remaining,
        "lambda_effective": a.percent_effective,
        "well_tuned": region.well_tuned if region else None,
        "best_val_acc": region.best_val_acc if region else None,
        "feasible": list(region.values) if region else [],
        "contiguous": region.contiguous if region else None,
        "points": [
            {"max_lr": p.max_lr, "val_acc": p.val_acc, "status": p.status}
            | ({} if p.std is None else {"std": p.std, "seeds": p.n})
            | ({} if apart.get(p.max_lr) is None else {"distinguishable": apart[p.max_lr]})
            for p in a.points
        ],
        "trained_now": o.trained_now,
        "loaded_now": o.loaded,
        "lost_now": o.lost,
        "stopped_by_asha": list(o.stopped),
    }


__all__ = ["DEFAULT_STORAGE", "oracle", "register", "run"]
