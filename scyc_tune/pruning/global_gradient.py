"""Global gradient pruning (Blalock et al. 2020): the smallest |w * g| anywhere in the network.

g is the training-loss gradient summed over `spec.gradient_batches` batches with the model in
eval mode (see `scores.summed_gradients`).
"""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scores import gradient_scores
from scyc_tune.pruning.select import prune_global


def prune(inputs: PruneInputs) -> Mask:
    mask = inputs.mask
    scores = gradient_scores(
        inputs.model, mask.names, inputs.batches, inputs.loss_fn, inputs.spec.gradient_batches
    )
    return Mask(prune_global(scores, mask.masks, inputs.spec.rate), mask.extra)


METHOD = PruningMethod(prune=prune, needs_batches=True)
