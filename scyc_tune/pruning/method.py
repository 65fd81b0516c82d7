"""What a pruning method is: a function from `PruneInputs` to a new Mask, plus two flags."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from torch import Tensor, nn

from scyc_tune.pruning.mask import Mask
from scyc_tune.study.specs import PruningSpec


@dataclass(frozen=True)
class PruneInputs:
    """Everything a method may look at. `mask` is on the model's device; do not modify it."""

    spec: PruningSpec
    model: nn.Module
    mask: Mask
    batches: Iterable[tuple[Tensor, Tensor]] | None = None
    loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None
    seed: int = 0


@dataclass(frozen=True)
class PruningMethod:
    """`prune(inputs)` returns the next, nested mask and leaves model and old mask unchanged.

    rewinds: after pruning, the engine resets surviving weights with `rewind` (IMP).
    needs_batches: `prune` reads training batches (gradient methods).
    """

    prune: Callable[[PruneInputs], Mask]
    rewinds: bool = False
    needs_batches: bool = False
