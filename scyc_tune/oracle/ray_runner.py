"""Run the missing grid points of one cycle as Ray Tune trials (one trial per max_lr)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Tune's newer console output ignores verbose=0; the oracle draws its own progress display.
os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")

import ray  # noqa: E402
from ray import tune  # noqa: E402
from ray.tune import Callback  # noqa: E402
from ray.tune.schedulers import ASHAScheduler  # noqa: E402

from scyc_tune.oracle.trainable import train_grid_point  # noqa: E402


@dataclass(frozen=True)
class RayOptions:
    address: str | None  # None: start a local instance sized to this machine
    cpus_per_trial: float
    gpus_per_trial: float
    max_concurrent: int | None
    asha: bool
    results_dir: Path  # Ray Tune's result directory (under storage/ by default)


def ensure_ray(address: str | None) -> None:
    """Join the cluster at ``address`` (or $RAY_ADDRESS), else start a local Ray instance with
    one CPU slot per core of this machine."""
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
    }
    if address is None:
        kwargs["num_cpus"] = os.cpu_count() or 1
        # Ray 2.60 turns token auth on for a new local instance and logs a warning saying so
        # at every start; auth stays on, the line stays out of the user's output
        logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(
            logging.ERROR
        )
    ray.init(address=address, **kwargs)


class _Relay(Callback):
    """Hands each trial's final report (or its crash) to the driver as soon as it happens, so
    a killed driver loses only the trials still running."""

    def __init__(self, on_final: Callable[[dict], None], on_event: Callable[[str, str], None]):
        self.on_final = on_final
        self.on_event = on_event
        self.finished: set[str] = set()

    def __getstate__(self) -> dict:
        # Tune pickles its callbacks into the experiment state (for Tuner.restore, which the
        # oracle does not use: it resumes from its own database). The driver-side hooks hold a
        # database engine and a live display, which neither pickle nor mean anything elsewhere.
        return {"finished": set()}

    def on_trial_start(self, iteration, trials, trial, **info):
        self.on_event("start", trial.config["run_id"])

    def on_trial_result(self, iteration, trials, trial, result, **info):
        if result.get("final"):
            self.finished.add(trial.config["run_id"])
            self.on_final(result)

    def on_trial_complete(self, iteration, trials, trial, **info):
        run_id = trial.config["run_id"]
        if run_id not in self.finished:
            self.on_event("stopped", run_id)  # ended without a final report: stopped by ASHA

    def on_trial_error(self, iteration, trials, trial, **info):
        self.on_event("lost", trial.config["run_id"])  # worker died: retried on the next run


def run_grid(
    name: str,
    jobs: dict[str, str],
    start: dict,
    artifact_root: Path,
    options: RayOptions,
    on_final: Callable[[dict], None],
    on_event: Callable[[str, str], None],
) -> None:
    """Train every job in ``jobs`` (run id -> CycleJob JSON) from the same start state.

    One Ray Tune trial per run id; actors are reused (``reuse_actors=True``); with ``asha`` an
    ASHA scheduler may stop clearly losing points early (they report no final result)."""
    ensure_ray(options.address)
    trainable = tune.with_parameters(
        train_grid_point,
        jobs=jobs,
        start=start,
        artifact_root=str(artifact_root.resolve()),
        threads=max(1, int(options.cpus_per_trial)),
    )
    trainable = tune.with_resources(
        trainable, {"cpu": options.cpus_per_trial, "gpu": options.gpus_per_trial}
    )
    scheduler = None
    if options.asha:
        scheduler = ASHAScheduler(
            metric="val_acc", mode="max", time_attr="training_iteration", grace_period=2
        )
    relay = _Relay(on_final, on_event)
    tuner = tune.Tuner(
        trainable,
        param_space={"run_id": tune.grid_search(sorted(jobs))},
        tune_config=tune.TuneConfig(
            num_samples=1,
            reuse_actors=True,
            max_concurrent_trials=options.max_concurrent,
            scheduler=scheduler,
        ),
        run_config=tune.RunConfig(
            name=name,
            storage_path=str(options.results_dir.resolve()),
            verbose=0,
            callbacks=[relay],
            failure_config=tune.FailureConfig(max_failures=0),
        ),
    )
    tuner.fit()
