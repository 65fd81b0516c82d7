"""Train one cycle: the engine's unit of work, a pure function of (job, start state)."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from scyc_tune.data import load_splits
from scyc_tune.engine.batches import Minibatches, take
from scyc_tune.engine.device import resolve_device
from scyc_tune.engine.evaluate import accuracy
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.numerics import autocast, compiled, layout, prepare_model, resident
from scyc_tune.engine.optim import make_optimizer
from scyc_tune.engine.record import CycleRecord, effective_lambda
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState, cpu_state_dict
from scyc_tune.models import build_model
from scyc_tune.pruning import Mask, attach_mask
from scyc_tune.schedules import ScheduleLR

#: on_progress(iterations_done, iterations_total, metrics_so_far)
ProgressCallback = Callable[[int, int, dict], None]
#: on_checkpoint(snapshot): a mid-cycle snapshot, every ``training.checkpoint_every`` evaluations
CheckpointCallback = Callable[[dict], None]


@dataclass(frozen=True)
class CycleResult:
    """The end state (None if the cycle diverged) and the cycle's record."""

    state: CycleState | None
    record: CycleRecord


def train_cycle(
    job: CycleJob,
    start: CycleState,
    device: torch.device | str | None = None,
    on_progress: ProgressCallback | None = None,
    on_checkpoint: CheckpointCallback | None = None,
    resume: dict | None = None,
) -> CycleResult:
    """Train the network in ``start`` for one cycle with ``job``'s schedule; deterministic on CPU
    for a given job and start state. A diverging run (NaN/inf loss) stops early and is reported
    as diverged with chance-level accuracy; it never raises.

    ``on_checkpoint`` gets a snapshot of everything the rest of the cycle depends on (weights
    and BatchNorm buffers, optimizer and schedule state, the batch stream and the generators,
    the early-stop bookkeeping) every ``training.checkpoint_every`` evaluations before the
    last; ``resume`` (such a snapshot) continues from it. A resumed cycle gives bitwise the
    record and state of an uninterrupted one on CPU (its wall time aside)."""
    t0 = time.perf_counter()
    device = resolve_device(job.training.device) if device is None else torch.device(device)
    splits = resident(load_splits(job.data, job.seed), device)
    chance = 1.0 / splits.num_classes

    torch.manual_seed(derive_seed(job.seed, job.cycle, "torch"))
    model = build_model(job.model, splits.input_shape, splits.num_classes)
    model.load_state_dict(start.weights)
    prepare_model(model.to(device), job.training)
    forward = compiled(model, job.training)
    mask = Mask.from_state_dict(start.mask).to(device)

    optimizer = make_optimizer(job.training, model.parameters())
    attach_mask(optimizer, model, mask)  # applies the mask, keeps it through every step
    schedule = job.build_schedule()
    scheduler = ScheduleLR(optimizer, schedule)
    loss_fn = torch.nn.CrossEntropyLoss()

    generator = torch.Generator().manual_seed(derive_seed(job.seed, job.cycle, "batches"))
    batches = Minibatches(len(splits.train.y), job.training.batch_size, generator)
    iterations = job.iterations
    every = job.training.eval_every
    rewind_weights = start.rewind_weights
    if job.capture_iteration == 0:
        rewind_weights = cpu_state_dict(model)

    best = {"val": -1.0, "test": chance, "iteration": 0}
    final_val = final_test = chance
    window_loss = torch.zeros((), device=device)
    window_n = 0
    train_loss = math.nan
    diverged = False
    done = evaluations = 0
    if resume is not None:
        done, evaluations = resume["done"], resume["evaluations"]
        model.load_state_dict(resume["model"])
        # a deep copy: load_state_dict keeps the given tensors (same dtype and device) as the
        # momentum buffers it then updates in place, which would change the snapshot
        optimizer.load_state_dict(copy.deepcopy(resume["optimizer"]))
        scheduler.load_state_dict(resume["scheduler"])
        generator.set_state(resume["generator"])
        batches.restore(resume["batches"])
        torch.set_rng_state(resume["torch_rng"])
        best, final_val, final_test = (
            dict(resume["best"]),
            resume["final_val"],
            resume["final_test"],
        )
        train_loss, rewind_weights = resume["train_loss"], resume["rewind_weights"]
        t0 -= resume["elapsed"]
    every_checkpoint = job.training.checkpoint_every if on_checkpoint is not None else 0
    model.train()
    for it in range(done, iterations):
        x, y = take(splits.train, next(batches), device)
        x = layout(splits.transform(x, train=True, generator=generator), job.training)
        with autocast(job.training, device):
            loss = loss_fn(forward(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        window_loss += loss.detach()
        window_n += 1
        done = it + 1
        if job.capture_iteration is not None and done == job.capture_iteration:
            rewind_weights = cpu_state_dict(model)
        if done % every and done != iterations:
            continue
        train_loss = (window_loss / window_n).item()
        window_loss.zero_()
        window_n = 0
        if not math.isfinite(train_loss):
            diverged = True
            break
        with autocast(job.training, device):
            final_val = accuracy(forward, splits.val, splits, device, job.training)
            final_test = accuracy(forward, splits.test, splits, device, job.training)
        if final_val > best["val"]:
            best = {"val": final_val, "test": final_test, "iteration": done}
        evaluations += 1
        if every_checkpoint and evaluations % every_checkpoint == 0 and done < iterations:
            on_checkpoint({
                "done": done, "evaluations": evaluations, "model": cpu_state_dict(model),
                "optimizer": copy.deepcopy(optimizer.state_dict()),
                "scheduler": scheduler.state_dict(), "generator": generator.get_state(),
                "batches": batches.state(), "torch_rng": torch.get_rng_state(),
                "best": dict(best), "final_val": final_val, "final_test": final_test,
                "train_loss": train_loss, "rewind_weights": rewind_weights,
                "elapsed": time.perf_counter() - t0,
            })  # fmt: skip
        if on_progress is not None:
            on_progress(done, iterations, {"val_acc": final_val, "train_loss": train_loss})

    record = CycleRecord(
        cycle=job.cycle,
        percent_remaining=mask.percent_remaining(),
        percent_effective=effective_lambda(job, splits.input_shape, splits.num_classes, mask),
        max_lr=schedule.max_lr,
        val_acc=chance if diverged else best["val"],
        test_acc=chance if diverged else best["test"],
        final_val_acc=chance if diverged else final_val,
        final_test_acc=chance if diverged else final_test,
        train_loss=train_loss,
        best_iteration=0 if diverged else best["iteration"],
        iterations_run=done,
        diverged=diverged,
        wall_time=time.perf_counter() - t0,
        device=str(device),
    )
    if diverged:
        return CycleResult(None, record)
    state = CycleState(cpu_state_dict(model), start.mask, job.cycle, rewind_weights)
    return CycleResult(state, record)
