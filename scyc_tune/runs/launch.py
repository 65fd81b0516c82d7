"""The one launcher of Ray Tune trials, and the relay of their events to the driver.

``launch`` builds the only ``Tuner`` of the package around ``runs.trainable.train_trial``:
trials named by ``keys`` (one grid-search value each) or drawn by a searcher, optional
scheduler, per-trial resources, a concurrency limit, and the relay. The Ray environment
(``ensure_ray``, Tune's console output) is set here and nowhere else.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scyc_tune.errors import ScycError
from scyc_tune.runs.result import MemberResult, decode


@dataclass(frozen=True)
class RayOptions:
    address: str | None  # None: start a local instance sized to this machine
    cpus_per_trial: float
    gpus_per_trial: float
    max_concurrent: int | None
    asha: bool
    results_dir: str  # Ray Tune's storage_path: a directory or a URI (default storage/ray)

    @classmethod
    def of(
        cls,
        spec: Any,
        address: str | None,
        results_dir: str | Path,
        max_concurrent: int | None = None,
        asha: bool = False,
    ) -> RayOptions:
        """A job's resources from its study section (``cpus_per_trial``, ``gpus_per_trial``,
        ``max_concurrent``), ``max_concurrent`` replaced when given."""
        return cls(
            address=address,
            cpus_per_trial=spec.cpus_per_trial,
            gpus_per_trial=spec.gpus_per_trial,
            max_concurrent=max_concurrent or spec.max_concurrent,
            asha=asha,
            results_dir=str(results_dir),
        )


class TrialEvents(Protocol):
    """What the driver hears, in the driver process, as it happens."""

    def started(self, key: str) -> None: ...
    def reported(self, result: MemberResult) -> None: ...
    def stopped(self, key: str) -> None: ...  # ended without a final report (a scheduler)
    def lost(self, key: str) -> None: ...  # the worker died (and Ray's retries are spent)

    # optional: ``retried(key)``, Ray Tune restarts the trial of a lost worker from its last
    # mid-cycle checkpoint (``max_failures``)


def ensure_ray(address: str | None) -> None:
    """Join the cluster at ``address`` (or $RAY_ADDRESS), else start a local Ray instance with
    one CPU slot per core of this machine."""
    import ray

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
        # a local instance is this machine's alone: its node (GCS, raylet, object store) binds
        # to loopback, so nothing on the network can reach or join it. Ray resolves
        # "127.0.0.1" to the machine's address unless clusters are off, as on macOS and
        # Windows (ray_constants.ENABLE_RAY_CLUSTER, read when a node's address is resolved)
        from ray._private import ray_constants

        ray_constants.ENABLE_RAY_CLUSTER = False
        kwargs["_node_ip_address"] = "127.0.0.1"
        # Ray 2.60 turns token auth on for a new local instance and logs a warning saying so
        # at every start; auth stays on, the line stays out of the user's output
        logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(
            logging.ERROR
        )
    else:
        _token_auth_if_token_available()
    try:
        # "local": always a new instance. With address=None Ray would join the cluster that
        # `ray start` last began on this machine (/tmp/ray/ray_current_cluster), which is not
        # what "no --ray-address" promises (and fails on num_cpus)
        ray.init(address=address or "local", **kwargs)
    except (ConnectionError, RuntimeError) as e:
        if address is None:
            raise
        first = next((ln for ln in str(e).splitlines() if ln.strip()), type(e).__name__)
        raise ScycError(
            f"cannot join the Ray cluster at {address}: {first[:300]} (a cluster with token "
            "authentication needs its token here: RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or "
            "~/.ray/auth_token, as on its nodes)"
        ) from e
    _raylet_errors_to_stderr()


def _token_auth_if_token_available() -> None:
    """Joining a cluster by address: Ray 2.60 turns token authentication on for a cluster that
    ``ray start`` began where a token exists, but a driver given an explicit address never
    turns it on (only ``address="auto"`` does), so it fails with "Authentication token is
    missing or incorrect". With a token at hand (``RAY_AUTH_TOKEN``, ``RAY_AUTH_TOKEN_PATH``,
    ``~/.ray/auth_token``) and ``RAY_AUTH_MODE`` unset, the driver sends it, as ``ray start``
    and ``address="auto"`` do; ``RAY_AUTH_MODE`` set by the user is left alone."""
    try:
        from ray._private.authentication import authentication_token_setup as auth
    except ImportError:  # a Ray without token authentication
        return
    logging.getLogger(auth.__name__).setLevel(logging.ERROR)  # no "token auth is on" line
    auth.maybe_enable_token_auth_if_token_available(warn_if_disabled=False)


def _raylet_errors_to_stderr() -> None:
    """Ray prints the raylet's error messages ("A worker died or was killed ...") to the
    driver's stdout (``ray._private.worker.listen_error_messages``, ``is_err=False``), where they
    would corrupt a command's results (``--json``); they go to stderr instead."""
    from ray._private import worker

    if getattr(worker.print_to_stdstream, "_scyc_stderr", False):
        return
    original = worker.print_to_stdstream

    def to_stderr(data, ignore_prefix):
        original({**data, "is_err": True} if data.get("pid") == "raylet" else data, ignore_prefix)

    to_stderr._scyc_stderr = True  # type: ignore[attr-defined]
    worker.print_to_stdstream = to_stderr


def slots(options: RayOptions) -> int:
    """How many trials of ``options`` the Ray cluster runs at once (at least 1): its CPUs (and
    GPUs, when a trial takes some) over a trial's share, capped by ``max_concurrent``."""
    import ray

    ensure_ray(options.address)
    have = ray.cluster_resources()
    n = int(have.get("CPU", 0.0) // options.cpus_per_trial)
    if options.gpus_per_trial > 0:
        n = min(n, int(have.get("GPU", 0.0) // options.gpus_per_trial))
    if options.max_concurrent is not None:
        n = min(n, options.max_concurrent)
    return max(1, n)


def fits_cluster(options: RayOptions) -> None:
    """ScycError (one line) when one trial asks for more CPUs or GPUs than the whole Ray
    cluster has: Tune would wait for them for ever."""
    import ray

    have = ray.cluster_resources()
    cpus, gpus = have.get("CPU", 0.0), have.get("GPU", 0.0)
    if options.cpus_per_trial > cpus or options.gpus_per_trial > gpus:
        raise ScycError(
            f"a trial asks for {options.cpus_per_trial:g} CPUs and {options.gpus_per_trial:g} "
            f"GPUs, but the Ray cluster has {cpus:g} CPUs and {gpus:g} GPUs: lower "
            "cpus_per_trial / gpus_per_trial in the study (e.g. --set "
            "oracle.gpus_per_trial=0), or join a larger cluster with --ray-address"
        )


def _relay_class():
    from ray.tune import Callback

    class Relay(Callback):
        """Hands each report, a trial's start, stop and loss to the driver as they happen, so a
        killed driver loses only the trials still running. A member stopped by a fault of the
        environment (status 'fault') is kept back: the driver records nothing for it, and
        ``launch`` raises its line once every trial has ended. A trial that Ray Tune restarted
        after losing its worker reports again the members it had finished (loaded now from
        the run index; the same results, since trials are pure): each member's cycle reaches
        the driver once, so no driver records, mirrors or counts it twice."""

        def __init__(self, events: TrialEvents | None):
            self.events = events
            self.finished: set[str] = set()
            self.faults: list[str] = []
            self.relayed: set[tuple[str, int, str | None]] = set()

        def __getstate__(self) -> dict:
            # Tune pickles its callbacks into the experiment state (for Tuner.restore, which
            # we do not use: drivers resume from their database); ours hold live objects.
            return {"finished": set(), "relayed": set()}

        def on_trial_start(self, iteration, trials, trial, **info):
            if self.events is not None:
                self.events.started(_key(trial))

        def on_trial_result(self, iteration, trials, trial, result, **info):
            decoded = decode(result)
            if isinstance(decoded, MemberResult):
                if result.get("final"):
                    self.finished.add(_key(trial))
                member = (decoded.key, decoded.cycle, decoded.run_id)
                if decoded.status == "fault":
                    self.faults.append(decoded.error or "a fault of the environment")
                elif self.events is not None and member not in self.relayed:
                    self.relayed.add(member)
                    self.events.reported(decoded)

        def on_trial_complete(self, iteration, trials, trial, **info):
            if _key(trial) not in self.finished and self.events is not None:
                self.events.stopped(_key(trial))

        def on_trial_recover(self, iteration, trials, trial, **info):
            retried = getattr(self.events, "retried", None)
            if retried is not None:
                retried(_key(trial))

        def on_trial_error(self, iteration, trials, trial, **info):
            if self.events is not None:
                self.events.lost(_key(trial))

    return Relay


def _key(trial) -> str:
    config = trial.config
    return str(config.get("key", trial.trial_id))


def launch(
    name: str,
    plan: Any,
    *,
    artifact_root: str | Path,
    options: RayOptions,
    keys: Sequence[str] | None = None,
    num_samples: int = 1,
    searcher: Any = None,
    scheduler: Any = None,
    events: TrialEvents | None = None,
    max_failures: int = 1,
) -> None:
    """Run the trials of ``plan`` (a ``runs.trainable.TrialPlan``) and return when all ended.

    ``keys``: one trial per key (``config['key']``); else ``num_samples`` trials drawn by
    ``searcher``. Actors are reused. A member stopped by a fault of the environment (a full
    disk, a read-only artifact store) raises that fault's one line (ScycError) once all trials
    have ended; the driver has recorded nothing for it, so a re-run trains it. A trial whose
    worker is lost is restarted by Ray Tune up to ``max_failures`` times in this launch, from
    its last mid-cycle checkpoint (``[training] checkpoint_every``; trials are pure functions,
    so a retry gives the same result); after that the driver hears ``lost``. ``name`` names
    Tune's run directory (slashes replaced)."""
    # Tune's newer console output ignores verbose=0; the drivers draw their own progress.
    os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")
    from ray import tune

    from scyc_tune.paths import inside
    from scyc_tune.runs.trainable import train_trial
    from scyc_tune.store.blobs import resolve_root

    ensure_ray(options.address)
    fits_cluster(options)
    # a trial whose worker died is reported by the relay ("lost with its worker"); Tune's own
    # traceback of the same event would bury that line
    logging.getLogger("ray.tune.execution.tune_controller").setLevel(logging.CRITICAL)
    from scyc_tune.data.load import pooled_dataset

    data = plan.study.data
    trainable = tune.with_parameters(  # one copy of each in the object store, for all trials
        train_trial,
        plan=plan,
        artifact_root=resolve_root(artifact_root),  # a URI stays one
        threads=max(1, int(options.cpus_per_trial)),
        data=(data, pooled_dataset(data)),
    )
    trainable = tune.with_resources(
        trainable, {"cpu": options.cpus_per_trial, "gpu": options.gpus_per_trial}
    )
    param_space = {} if keys is None else {"key": tune.grid_search(list(keys))}
    relay = _relay_class()(events)
    tuner = tune.Tuner(
        trainable,
        param_space=param_space,
        tune_config=tune.TuneConfig(
            num_samples=num_samples,
            search_alg=searcher,
            scheduler=scheduler,
            reuse_actors=True,
            max_concurrent_trials=options.max_concurrent,
        ),
        run_config=tune.RunConfig(
            name=inside(options.results_dir, name.replace("/", "-")).name,
            storage_path=resolve_root(options.results_dir),
            verbose=0,
            callbacks=[relay],
            failure_config=tune.FailureConfig(max_failures=max_failures),
        ),
    )
    tuner.fit()
    if relay.faults:  # the same fault usually stops every trial: its line once
        raise ScycError(relay.faults[0])
