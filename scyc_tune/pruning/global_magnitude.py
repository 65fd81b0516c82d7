"""Global magnitude pruning (Han et al. 2015): the smallest |w| anywhere in the network."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scored import magnitudes_of, prune_by_scores
from scyc_tune.pruning.select import prune_global


def prune(inputs: PruneInputs) -> Mask:
    return prune_by_scores(inputs, magnitudes_of(inputs), prune_global)


METHOD = PruningMethod(prune=prune)
