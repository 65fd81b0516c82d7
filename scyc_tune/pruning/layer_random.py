"""Layer-wise random pruning: as many weights per tensor as layer magnitude, chosen uniformly
at random among each tensor's alive ones (scores from a Generator seeded with `seed`)."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scores import random_scores
from scyc_tune.pruning.select import prune_per_layer


def prune(inputs: PruneInputs) -> Mask:
    mask = inputs.mask
    shapes = {n: m.shape for n, m in mask.masks.items()}
    device = next(iter(mask.masks.values())).device
    scores = random_scores(shapes, inputs.seed, device)
    return Mask(prune_per_layer(scores, mask.masks, inputs.spec.rate), mask.extra)


METHOD = PruningMethod(prune=prune)
