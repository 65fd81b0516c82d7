"""Layer-wise gradient pruning (Blalock et al. 2020): the smallest |w * g| within each tensor.

g is the training-loss gradient summed over `spec.gradient_batches` batches with the model in
eval mode (see `scores.summed_gradients`).
"""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scored import gradient_scores_of, prune_by_scores
from scyc_tune.pruning.select import prune_per_layer


def prune(inputs: PruneInputs) -> Mask:
    return prune_by_scores(inputs, gradient_scores_of(inputs), prune_per_layer)


METHOD = PruningMethod(prune=prune, needs_batches=True)
