"""Unstructured (and filter) pruning with masks: `prune` between cycles, `attach_mask` during
training, `rewind` for IMP. lambda = `Mask.percent_remaining()`."""

from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.masked import MaskHandle, attach_mask, zero_pruned_state
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.prune import method_rewinds, prune
from scyc_tune.pruning.registry import METHODS
from scyc_tune.pruning.rewind import rewind
from scyc_tune.pruning.select import num_to_prune, prune_global, prune_lowest, prune_per_layer

__all__ = [
    "METHODS",
    "Mask",
    "MaskHandle",
    "PruneInputs",
    "PruningMethod",
    "attach_mask",
    "method_rewinds",
    "num_to_prune",
    "prune",
    "prune_global",
    "prune_lowest",
    "prune_per_layer",
    "rewind",
    "zero_pruned_state",
]
