"""Train a population in one process: K cycle jobs of the same network and cycle, as one
stacked model (``torch.func.stack_module_state`` + ``vmap(functional_call)``), one forward and
backward per step for all members. The engine of ``[training] engine = "fused"``.

Each member keeps its own schedule (max_lr), seed (batch order and augmentation), mask, start
state and BatchNorm statistics; members with the same seed draw the same minibatches (the
oracle's grid points). SGD (momentum, weight decay) is applied to the stacked tensors with a
per-member LR, the members' masks re-applied after every step (``_sgd_step``). A member whose
loss is not finite at an evaluation is frozen (LR 0) and reported diverged; the others go on.
Every ``training.checkpoint_every`` evaluations the population hands ``on_checkpoint`` one
snapshot of itself (stacked weights, buffers and momenta, each seed's batch stream and
generator, every member's bookkeeping), and ``resume`` continues from one: bitwise the
uninterrupted population on CPU, as ``train_cycle``'s.

A member's result does not depend on the population it is trained in: on CPU, for the FC
networks, its weights, BN statistics and record are bitwise the same whatever the other
members are, their number or their order. Batched convolutions round differently for
different K (ResNet-20: 1e-6 after one step), so there it holds within that tolerance
(``tests/engine/test_fused.py``). Results are not bitwise those of ``train_cycle`` (weights
agree to about 1e-7 after 20 FC steps), so a run trained here is named with
``engine = "fused"`` (``runs.identity``).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch.func import functional_call, stack_module_state, vmap

from scyc_tune.data import Splits, load_splits
from scyc_tune.engine.batches import minibatch_indices, take
from scyc_tune.engine.device import resolve_device
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.numerics import autocast, compiled, resident
from scyc_tune.engine.record import CycleRecord, effective_lambda
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState
from scyc_tune.engine.train import CheckpointCallback, CycleResult
from scyc_tune.models import build_model
from scyc_tune.pruning import Mask

#: on_progress(member index, iterations_done, iterations_total, metrics_so_far)
MemberProgress = Callable[[int, int, int, dict], None]

EVAL_BATCH = 1024


class NotFusable(ValueError):
    """Jobs that cannot share one stacked model (say which field differs)."""


def engine_of(job: CycleJob) -> str:
    """'fused' or 'single': the engine that trains ``job`` (part of its run id when fused).

    ``auto`` is 'single': on CPU the fused engine is slower (``benchmarks/population.py``:
    batched matmuls run at the FLOP rate of single ones, and the optimizer's passes over the
    stacked tensors leave the cache), so a CPU population is trained one member after another
    in one process; ``engine = "fused"`` is the setting for GPUs. It cannot follow the
    worker's device, since the driver names the run before a worker is placed."""
    engine = job.training.engine
    return "single" if engine == "auto" else engine


def fusable(jobs: Sequence[CycleJob]) -> str | None:
    """Why ``jobs`` cannot be trained as one population, or None when they can."""
    first = jobs[0]
    if first.training.optimizer != "sgd":
        return f"the fused engine trains SGD only, not {first.training.optimizer!r}"
    for job in jobs[1:]:
        for field in ("data", "model", "training", "cycle", "pruning_rate"):
            if getattr(job, field) != getattr(first, field):
                return f"members differ in {field}"
    return None


@dataclass
class _Member:
    job: CycleJob
    start: CycleState
    mask: Mask
    schedule: object
    group: int  # index of its seed's batch stream
    best: dict
    final_val: float
    final_test: float
    train_loss: float = math.nan
    diverged: bool = False
    done: int = 0
    rewind: dict | None = None


def train_population(
    jobs: Sequence[CycleJob],
    starts: Sequence[CycleState],
    device: torch.device | str | None = None,
    on_progress: MemberProgress | None = None,
    on_checkpoint: CheckpointCallback | None = None,
    resume: dict | None = None,
) -> list[CycleResult]:
    """One ``CycleResult`` per job, in order; ``starts[i]`` is job i's start state.
    ``on_checkpoint`` / ``resume``: the population's mid-cycle snapshots, as in
    ``train_cycle`` (a snapshot belongs to these jobs in this order)."""
    if not jobs or len(jobs) != len(starts):
        raise ValueError(f"{len(jobs)} jobs for {len(starts)} start states")
    why = fusable(jobs)
    if why is not None:
        raise NotFusable(why)
    t0 = time.perf_counter()
    first = jobs[0]
    device = resolve_device(first.training.device) if device is None else torch.device(device)
    seeds = sorted({j.seed for j in jobs})
    splits: dict[int, Splits] = {s: resident(load_splits(first.data, s), device) for s in seeds}
    ref = splits[seeds[0]]
    chance = 1.0 / ref.num_classes

    torch.manual_seed(derive_seed(first.seed, first.cycle, "torch"))
    nets = []
    for start in starts:
        net = build_model(first.model, ref.input_shape, ref.num_classes)
        net.load_state_dict(start.weights)
        nets.append(net.to(device))
    keys = list(nets[0].state_dict())
    template = copy.deepcopy(nets[0]).to("meta")
    params, buffers = stack_module_state(nets)
    params = {n: p.detach().clone().requires_grad_(True) for n, p in params.items()}
    buffers = {n: b.detach().clone() for n, b in buffers.items()}
    del nets

    members = []
    for job, start in zip(jobs, starts, strict=True):
        mask = Mask.from_state_dict(start.mask).to(device)
        members.append(
            _Member(job, start, mask, job.build_schedule(), seeds.index(job.seed),
                    {"val": -1.0, "test": chance, "iteration": 0}, chance, chance)
        )  # fmt: skip
    # 1.0 where alive, 0.0 where pruned: a multiply is exact and cheaper than masked_fill
    masks = {n: m.to(params[n].dtype) for n, m in _stacked_masks(members, params).items()}
    with torch.no_grad():
        for name, m in masks.items():
            params[name].mul_(m)

    streams, generators = [], []
    for s in seeds:
        generator = torch.Generator().manual_seed(derive_seed(s, first.cycle, "batches"))
        generators.append(generator)
        streams.append(
            minibatch_indices(len(splits[s].train.y), first.training.batch_size, generator)
        )

    training = first.training
    momentum, decay = training.momentum, training.weight_decay
    momenta: dict[str, torch.Tensor] = {}
    scratch: dict[str, torch.Tensor] = {}
    iterations, every = first.iterations, training.eval_every
    for k, m in enumerate(members):
        if m.job.capture_iteration == 0:
            m.rewind = _member_state(params, buffers, keys, k)

    def loss_of(p, b, x, y):
        return torch.nn.functional.cross_entropy(functional_call(template, (p, b), (x,)), y)

    step_losses = compiled(vmap(loss_of, in_dims=(0, 0, 0, 0)), first.training)
    window = torch.zeros(len(members), device=device)
    window_n = evaluations = start_at = 0
    if resume is not None:
        start_at, evaluations = resume["done"], resume["evaluations"]
        _restore(resume, params, buffers, momenta, members, generators, streams, device)
        t0 -= resume["elapsed"]
    every_checkpoint = training.checkpoint_every if on_checkpoint is not None else 0
    template.train()
    for it in range(start_at, iterations):
        xs, ys = [], []
        for g, s in enumerate(seeds):
            x, y = take(splits[s].train, next(streams[g]), device)
            xs.append(splits[s].transform(x, train=True, generator=generators[g]))
            ys.append(y)
        x = torch.stack([xs[m.group] for m in members])
        y = torch.stack([ys[m.group] for m in members])
        with autocast(training, device):
            losses = step_losses(params, buffers, x, y)
        names = list(params)
        grads = torch.autograd.grad(losses.sum(), [params[n] for n in names])
        lr = torch.tensor(
            [0.0 if m.diverged else m.schedule.lr(it) for m in members], device=device
        )
        with torch.no_grad():
            for name, grad in zip(names, grads, strict=True):
                _sgd_step(params[name], grad, masks.get(name), momenta, scratch, name, lr, it,
                          momentum, decay)  # fmt: skip
        window += losses.detach()
        window_n += 1
        done = it + 1
        for k, m in enumerate(members):
            if not m.diverged and m.job.capture_iteration == done:
                m.rewind = _member_state(params, buffers, keys, k)
        if done % every and done != iterations:
            continue
        mean = (window / window_n).tolist()
        window.zero_()
        window_n = 0
        live = []
        for k, m in enumerate(members):
            if m.diverged:
                continue
            m.train_loss, m.done = mean[k], done
            if not math.isfinite(mean[k]):
                m.diverged = True
                continue
            live.append(k)
        if live:
            template.eval()
            with autocast(training, device):
                vals = _accuracies(template, params, buffers, splits, members, "val", device)
                tests = _accuracies(template, params, buffers, splits, members, "test", device)
            template.train()
            for k in live:
                m = members[k]
                m.final_val, m.final_test = vals[k], tests[k]
                if vals[k] > m.best["val"]:
                    m.best = {"val": vals[k], "test": tests[k], "iteration": done}
        evaluations += 1
        if all(m.diverged for m in members):
            break
        if every_checkpoint and evaluations % every_checkpoint == 0 and done < iterations:
            on_checkpoint(_snapshot(done, evaluations, params, buffers, momenta, members,
                                    generators, streams, time.perf_counter() - t0))  # fmt: skip
        if on_progress is not None:
            for k in live:
                on_progress(k, done, iterations, {"val_acc": vals[k], "train_loss": mean[k]})

    wall = time.perf_counter() - t0
    out = []
    for k, m in enumerate(members):
        dead = m.diverged
        record = CycleRecord(
            cycle=m.job.cycle,
            percent_remaining=m.mask.percent_remaining(),
            percent_effective=effective_lambda(m.job, ref.input_shape, ref.num_classes, m.mask),
            max_lr=m.schedule.max_lr,
            val_acc=chance if dead else m.best["val"],
            test_acc=chance if dead else m.best["test"],
            final_val_acc=chance if dead else m.final_val,
            final_test_acc=chance if dead else m.final_test,
            train_loss=m.train_loss,
            best_iteration=0 if dead else m.best["iteration"],
            iterations_run=m.done,
            diverged=dead,
            wall_time=wall / len(members),
            device=str(device),
        )
        if dead:
            out.append(CycleResult(None, record))
            continue
        weights = _member_state(params, buffers, keys, k)
        rewind = m.rewind if m.rewind is not None else m.start.rewind_weights
        out.append(CycleResult(CycleState(weights, m.start.mask, m.job.cycle, rewind), record))
    return out


_MEMBER_FIELDS = ("best", "final_val", "final_test", "train_loss", "diverged", "done", "rewind")


def _snapshot(done, evaluations, params, buffers, momenta, members, generators, streams,
              elapsed) -> dict:  # fmt: skip
    """Everything the rest of the cycle depends on, as CPU copies (the schedules are functions
    of the iteration, the masks of the start states; the loss window is empty after an
    evaluation)."""

    def cpu(tensors: dict) -> dict:
        return {n: t.detach().to("cpu", copy=True) for n, t in tensors.items()}

    return {
        "done": done, "evaluations": evaluations, "params": cpu(params),
        "buffers": cpu(buffers), "momenta": cpu(momenta),
        "generators": [g.get_state() for g in generators],
        "streams": [s.state() for s in streams], "torch_rng": torch.get_rng_state(),
        "members": [copy.deepcopy({f: getattr(m, f) for f in _MEMBER_FIELDS}) for m in members],
        "elapsed": elapsed,
    }  # fmt: skip


def _restore(snapshot, params, buffers, momenta, members, generators, streams, device) -> None:
    if len(snapshot["members"]) != len(members):
        raise ValueError(f"a snapshot of {len(snapshot['members'])} members for {len(members)}")
    with torch.no_grad():
        for n, t in snapshot["params"].items():
            params[n].copy_(t)
        for n, t in snapshot["buffers"].items():
            buffers[n].copy_(t)
    momenta.update({n: t.to(device, copy=True) for n, t in snapshot["momenta"].items()})
    for g, state in zip(generators, snapshot["generators"], strict=True):
        g.set_state(state)
    for s, state in zip(streams, snapshot["streams"], strict=True):
        s.restore(state)
    torch.set_rng_state(snapshot["torch_rng"])
    for m, fields in zip(members, snapshot["members"], strict=True):
        for f, v in copy.deepcopy(fields).items():
            setattr(m, f, v)


def _sgd_step(p, grad, mask, momenta, scratch, name, lr, it, momentum, decay) -> None:
    """SGD with momentum and weight decay on the stacked ``p`` [K, ...], LR ``lr`` [K], the
    mask (1.0 alive, 0.0 pruned) re-applied. Only one-rounding elementwise ops (mul, add,
    sub): never an ``alpha=`` add, which CPU kernels compute fused (one rounding) in their
    vector lanes and unfused in the tail, so a member's numbers would depend on where its
    slice starts. In place, into buffers kept across steps (fresh multi-megabyte temporaries
    cost page faults)."""
    tmp = scratch.get(name)
    if tmp is None:
        tmp = scratch[name] = torch.empty_like(p)
    if mask is not None:
        grad.mul_(mask)
    if decay != 0:
        torch.mul(p, decay, out=tmp)
        grad.add_(tmp)
    if momentum != 0:
        buf = momenta.get(name)
        if buf is None:
            buf = momenta[name] = grad.clone()
        elif it == 0:
            buf.copy_(grad)
        else:
            buf.mul_(momentum).add_(grad)
        grad = buf
    torch.mul(grad, lr.view(-1, *([1] * (p.dim() - 1))), out=tmp)
    p.sub_(tmp)
    if mask is not None:
        p.mul_(mask)


def _stacked_masks(members: Sequence[_Member], params: dict) -> dict[str, torch.Tensor]:
    """name -> bool [K, ...] for every masked parameter (a member without that mask: all on)."""
    names = set()
    for m in members:
        names.update(m.mask.masks)
        names.update(m.mask.extra)
    out = {}
    for name in sorted(names):
        shape = params[name].shape[1:]
        rows = []
        for m in members:
            t = m.mask.masks.get(name, m.mask.extra.get(name))
            rows.append(torch.ones(shape, dtype=torch.bool, device=params[name].device)
                        if t is None else t.to(params[name].device))  # fmt: skip
        out[name] = torch.stack(rows)
    return out


def _member_state(params: dict, buffers: dict, keys: Sequence[str], k: int) -> dict:
    """Member k's state_dict (CPU copies, in the model's key order)."""
    both = {**params, **buffers}
    return {n: both[n][k].detach().to("cpu", copy=True) for n in keys}


@torch.no_grad()
def _accuracies(template, params, buffers, splits, members, part, device) -> list[float]:
    """Each member's accuracy on its own seed's ``part`` split (eval mode, no augmentation)."""

    def logits(p, b, x):
        return functional_call(template, (p, b), (x,))

    forward = vmap(logits, in_dims=(0, 0, 0))
    correct = [0] * len(members)
    sizes = [0] * len(members)
    seeds = sorted({m.job.seed for m in members})
    for s in seeds:
        split = getattr(splits[s], part)
        ks = [k for k, m in enumerate(members) if m.job.seed == s]
        for lo in range(0, len(split.y), EVAL_BATCH):
            x = splits[s].transform(split.x[lo : lo + EVAL_BATCH].to(device), train=False)
            y = split.y[lo : lo + EVAL_BATCH].to(device)
            out = forward(params, buffers, x.unsqueeze(0).expand(len(members), *x.shape))
            hits = (out.argmax(dim=2) == y).sum(dim=1).tolist()
            for k in ks:
                correct[k] += hits[k]
        for k in ks:
            sizes[k] = len(split.y)
    return [c / max(1, n) for c, n in zip(correct, sizes, strict=True)]
