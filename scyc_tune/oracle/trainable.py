"""The Ray Tune trainable: one grid point of one cycle, a pure function of its inputs.

The start state arrives through Ray's object store (``tune.with_parameters``), the job as JSON;
the trained state goes to the content-addressed artifact store, whose root must be readable
and writable by every worker (a local path on one machine, a shared one on a cluster). The
worker never opens the database: it reports metrics, and the driver writes them.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import torch
from ray import tune

from scyc_tune.engine import CycleJob, CycleState, train_cycle
from scyc_tune.errors import describe
from scyc_tune.store import ArtifactStore
from scyc_tune.store.runs import RunIndex

#: test hook: when set, every training started appends its run id to this file
TRAINING_LOG_ENV = "SCYC_TRAINING_LOG"


def note_training(run_id: str) -> None:
    """Append ``run_id`` to $SCYC_TRAINING_LOG when set (tests count trainings with it)."""
    log = os.environ.get(TRAINING_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{run_id}\n")


def train_grid_point(
    config: dict[str, Any],
    *,
    jobs: dict[str, str],
    start: dict,
    artifact_root: str,
    threads: int,
) -> None:
    """Train the job whose run id is ``config['run_id']`` and report its record.

    Intermediate reports (``final=False``) carry the validation accuracy at each evaluation for
    ASHA; the last report has ``final=True`` and the record, status and artifact key. Exceptions
    are reported as ``status='failed'`` with the exception's type, message and frame
    (``errors.describe``), never raised: the driver decides what a failed point means."""
    torch.set_num_threads(max(1, threads))
    run_id = config["run_id"]
    job = CycleJob.model_validate_json(jobs[run_id])
    started = time.time()
    note_training(run_id)

    def on_progress(done: int, total: int, metrics: dict) -> None:
        if done < total:
            tune.report({"final": False, "val_acc": metrics["val_acc"], "iteration": done})

    try:
        result = train_cycle(job, CycleState.from_dict(start), on_progress=on_progress)
    except Exception as exc:  # noqa: BLE001 - recorded, never raised (see docstring)
        tune.report(
            {
                "final": True,
                "status": "failed",
                "error": describe(exc),
                "run_id": run_id,
                "started_at": started,
                "val_acc": float("nan"),
            }
        )
        return
    record = result.record.to_dict()
    artifact = None
    if result.state is not None:
        artifact = ArtifactStore(artifact_root).put(result.state)
    # index the run beside the artifacts, so `fit --mode accuracy` can reuse it
    RunIndex(artifact_root).put(run_id, record, artifact)
    tune.report(
        {
            "final": True,
            "status": "diverged" if result.record.diverged else "complete",
            "run_id": run_id,
            "artifact": artifact,
            "record_json": json.dumps(record),
            "val_acc": record["val_acc"],
            "started_at": started,
        }
    )
