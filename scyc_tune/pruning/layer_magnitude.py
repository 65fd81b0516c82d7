"""Layer-wise magnitude pruning: the smallest |w| within each prunable tensor, p per tensor."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scores import magnitude_scores
from scyc_tune.pruning.select import prune_per_layer


def prune(inputs: PruneInputs) -> Mask:
    mask = inputs.mask
    scores = magnitude_scores(inputs.model, mask.names)
    return Mask(prune_per_layer(scores, mask.masks, inputs.spec.rate), mask.extra)


METHOD = PruningMethod(prune=prune)
