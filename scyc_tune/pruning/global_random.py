"""Global random pruning: as many weights as global magnitude, chosen uniformly at random
among the alive ones (scores from a Generator seeded with `seed`)."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.scores import random_scores
from scyc_tune.pruning.select import prune_global


def prune(inputs: PruneInputs) -> Mask:
    mask = inputs.mask
    shapes = {n: m.shape for n, m in mask.masks.items()}
    device = next(iter(mask.masks.values())).device
    scores = random_scores(shapes, inputs.seed, device)
    return Mask(prune_global(scores, mask.masks, inputs.spec.rate), mask.extra)


METHOD = PruningMethod(prune=prune)
