"""The one entry point the engine calls between cycles."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from torch import Tensor, nn

from scyc_tune.errors import UsageError
from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.registry import METHODS
from scyc_tune.study.specs import PruningSpec


def get_method(spec: PruningSpec) -> PruningMethod:
    if spec.method not in METHODS:
        raise UsageError(
            f"unknown pruning method {spec.method!r}; allowed: {', '.join(sorted(METHODS))}"
        )
    return METHODS[spec.method]


def method_rewinds(spec: PruningSpec) -> bool:
    """True if surviving weights must be rewound after pruning (`rewind`), as in IMP."""
    return get_method(spec).rewinds


def prune(
    spec: PruningSpec,
    model: nn.Module,
    mask: Mask,
    *,
    batches: Iterable[tuple[Tensor, Tensor]] | None = None,
    loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None,
    seed: int = 0,
) -> Mask:
    """One pruning step: remove `spec.rate` (p) of the remaining prunable weights.

    Returns a new mask nested in `mask`, on the model's device, with its names in
    `model.named_parameters()` order (the tie-break order). Neither `mask` nor the model's
    weights are changed: apply the result with `new.apply(model)` (and `zero_pruned_state` /
    `attach_mask` for a live optimizer, `rewind` when `method_rewinds(spec)`).

    batches: training (x, y) batches; required by the gradient methods, which read the first
        `spec.gradient_batches` of them. loss_fn: the training loss (default cross-entropy).
    seed: seeds the random methods; pass a different one per cycle.
    """
    method = get_method(spec)
    if method.needs_batches and batches is None:
        raise ValueError(f"pruning method {spec.method!r} needs training batches; pass batches=")
    if not mask.masks:
        raise ValueError("the mask holds no prunable weights")
    device = next(model.parameters()).device
    order = [n for n, _ in model.named_parameters() if n in mask.masks]
    missing = [n for n in mask.masks if n not in order]
    if missing:
        raise ValueError(f"the mask names parameters the model lacks: {missing[:3]}")
    ordered = Mask({n: mask[n] for n in order}, mask.extra).to(device)
    inputs = PruneInputs(spec, model, ordered, batches, loss_fn, seed)
    return method.prune(inputs)
