"""Run identity: the hash of the inputs that determine a trained cycle, nothing else."""

from __future__ import annotations

import hashlib
import json
import os

from scyc_tune.engine import CycleJob
from scyc_tune.engine.fused import engine_of

#: fields that change where a run goes, not what it computes (the engine is named below)
_NOT_IDENTITY = {"training": {"device", "engine", "checkpoint_every"}}


def run_id(job: CycleJob, start_digest: str) -> str:
    """sha256 (hex) over the job's canonical JSON and the start state's digest.

    The number of cycles, report options, device and the oracle's grid are not part of it, so
    re-running a command (or a longer version of it) finds the finished runs. Fields left at
    their defaults are not hashed, so adding a field with a default keeps old hashes (tests pin
    a few). A job the fused engine trains (``engine.fused.engine_of``) is named with
    ``engine = "fused"``; one trained by ``train_cycle`` keeps the name it always had."""
    payload = job.model_dump(mode="json", exclude=_NOT_IDENTITY, exclude_defaults=True)
    payload["schedule_type"] = job.schedule.type  # the tag is a default, so name it explicitly
    if engine_of(job) == "fused":  # results differ from train_cycle's by rounding: another run
        payload["engine"] = "fused"
    text = json.dumps({"job": payload, "start": start_digest}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


#: test hook: when set, every training started appends its run id to this file
TRAINING_LOG_ENV = "SCYC_TRAINING_LOG"


def note_training(run_id: str) -> None:
    """Append ``run_id`` to $SCYC_TRAINING_LOG when set (tests count trainings with it); a
    cycle resumed from a mid-cycle checkpoint is noted ``<run id>@<iteration>``."""
    log = os.environ.get(TRAINING_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{run_id}\n")
