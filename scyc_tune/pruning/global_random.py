"""Global random pruning: as many weights as global magnitude, chosen uniformly at random
among the alive ones (scores from a Generator seeded with `seed`)."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scored import prune_by_scores, random_scores_of
from scyc_tune.pruning.select import prune_global


def prune(inputs: PruneInputs) -> Mask:
    return prune_by_scores(inputs, random_scores_of(inputs), prune_global)


METHOD = PruningMethod(prune=prune)
