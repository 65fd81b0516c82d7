"""Layer-wise random pruning: as many weights per tensor as layer magnitude, chosen uniformly
at random among each tensor's alive ones (scores from a Generator seeded with `seed`)."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scored import prune_by_scores, random_scores_of
from scyc_tune.pruning.select import prune_per_layer


def prune(inputs: PruneInputs) -> Mask:
    return prune_by_scores(inputs, random_scores_of(inputs), prune_per_layer)


METHOD = PruningMethod(prune=prune)
