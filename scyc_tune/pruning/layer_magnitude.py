"""Layer-wise magnitude pruning: the smallest |w| within each prunable tensor, p per tensor."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scored import magnitudes_of, prune_by_scores
from scyc_tune.pruning.select import prune_per_layer


def prune(inputs: PruneInputs) -> Mask:
    return prune_by_scores(inputs, magnitudes_of(inputs), prune_per_layer)


METHOD = PruningMethod(prune=prune)
