"""Weight rewinding for IMP-style methods."""

from __future__ import annotations

from collections.abc import Mapping

from torch import Tensor, nn

from scyc_tune.pruning.mask import Mask


def rewind(model: nn.Module, mask: Mask, reference_state_dict: Mapping[str, Tensor]) -> None:
    """Load `reference_state_dict` (every parameter and buffer, strictly) into `model` in place,
    then apply `mask`, so survivors hold their reference values and pruned weights are zero.

    Parameters are copied into the existing tensors, so an optimizer over `model` stays valid;
    its state (momentum, ...) is not reset here.
    """
    model.load_state_dict(reference_state_dict, strict=True)
    mask.apply(model)
