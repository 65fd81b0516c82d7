"""The score-then-select methods: score every prunable weight, then drop the lowest-scoring
alive ones with a selection rule from `select` (`prune_global` or `prune_per_layer`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from torch import Tensor

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs
from scyc_tune.pruning.scores import gradient_scores, magnitude_scores, random_scores

Scores = dict[str, Tensor]
Select = Callable[[Mapping[str, Tensor], Mapping[str, Tensor], float], dict[str, Tensor]]


def prune_by_scores(inputs: PruneInputs, scores: Scores, select: Select) -> Mask:
    """The next mask: `select(scores, masks, spec.rate)`, with the old mask's `extra` kept."""
    mask = inputs.mask
    return Mask(select(scores, mask.masks, inputs.spec.rate), mask.extra)


def magnitudes_of(inputs: PruneInputs) -> Scores:
    """`scores.magnitude_scores` of the mask's tensors."""
    return magnitude_scores(inputs.model, inputs.mask.names)


def gradient_scores_of(inputs: PruneInputs) -> Scores:
    """`scores.gradient_scores` of the mask's tensors, on `spec.gradient_batches` batches."""
    return gradient_scores(
        inputs.model,
        inputs.mask.names,
        inputs.batches,
        inputs.loss_fn,
        inputs.spec.gradient_batches,
    )


def random_scores_of(inputs: PruneInputs) -> Scores:
    """`scores.random_scores` in the mask's shapes, seeded with `seed`, on the mask's device."""
    masks = inputs.mask.masks
    shapes = {n: m.shape for n, m in masks.items()}
    device = next(iter(masks.values())).device
    return random_scores(shapes, inputs.seed, device)
