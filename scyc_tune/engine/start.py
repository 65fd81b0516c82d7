"""Start states: the unpruned initialisation, and the next cycle's start from a trained state."""

from __future__ import annotations

import torch

from scyc_tune.data import load_splits
from scyc_tune.engine.batches import minibatch_indices, take
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState, cpu_state_dict
from scyc_tune.models import build_model, prunable_names
from scyc_tune.pruning import Mask, method_rewinds, prune, rewind
from scyc_tune.study.specs import DataSpec, ModelSpec, PruningSpec


def initial_state(data: DataSpec, model: ModelSpec, seed: int) -> CycleState:
    """He-initialised network with a full mask (cycle 0); the initial weights double as IMP's
    default rewind point."""
    splits = load_splits(data, seed)
    torch.manual_seed(derive_seed(seed, "init"))
    net = build_model(model, splits.input_shape, splits.num_classes)
    mask = Mask.ones(net, prunable_names(net, model))
    weights = cpu_state_dict(net)
    return CycleState(weights, mask.state_dict(), 0, weights)


def next_start_state(
    trained: CycleState,
    pruning: PruningSpec,
    data: DataSpec,
    model: ModelSpec,
    seed: int,
    batch_size: int = 128,
    device: torch.device | str = "cpu",
) -> CycleState:
    """Prune the trained state of cycle m at rate p (nested in its mask), rewind if the method
    says so (IMP), and return the start state of cycle m + 1.

    Gradient methods score with the loss gradient summed over ``pruning.gradient_batches``
    training batches of ``batch_size`` examples, drawn with a seed derived from (seed, m),
    without augmentation."""
    splits = load_splits(data, seed)
    torch.manual_seed(derive_seed(seed, trained.cycle, "prune"))
    net = build_model(model, splits.input_shape, splits.num_classes)
    net.load_state_dict(trained.weights)
    net.to(device)
    old = Mask.from_state_dict(trained.mask).to(device)

    batches = None
    if "gradient" in pruning.method:
        generator = torch.Generator().manual_seed(derive_seed(seed, trained.cycle, "grad-batches"))
        stream = minibatch_indices(len(splits.train.y), batch_size, generator)
        batches = []
        for _ in range(pruning.gradient_batches):
            x, y = take(splits.train, next(stream), torch.device(device))
            batches.append((splits.transform(x, train=False), y))

    new = prune(
        pruning,
        net,
        old,
        batches=batches,
        loss_fn=torch.nn.CrossEntropyLoss(),
        seed=derive_seed(seed, trained.cycle, "prune-scores"),
    )
    if method_rewinds(pruning):
        if trained.rewind_weights is None:
            raise ValueError("IMP needs the rewind weights of cycle 0, and the state has none")
        rewind(net, new, {k: v.to(device) for k, v in trained.rewind_weights.items()})
    else:
        new.apply(net)
    mask = {k: v.cpu() for k, v in new.state_dict().items()}
    return CycleState(cpu_state_dict(net), mask, trained.cycle + 1, trained.rewind_weights)
