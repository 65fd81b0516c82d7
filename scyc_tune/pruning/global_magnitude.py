"""Global magnitude pruning (Han et al. 2015): the smallest |w| anywhere in the network."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scores import magnitude_scores
from scyc_tune.pruning.select import prune_global


def prune(inputs: PruneInputs) -> Mask:
    mask = inputs.mask
    scores = magnitude_scores(inputs.model, mask.names)
    return Mask(prune_global(scores, mask.masks, inputs.spec.rate), mask.extra)


METHOD = PruningMethod(prune=prune)
