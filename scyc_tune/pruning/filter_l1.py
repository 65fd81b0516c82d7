"""Filter pruning by L1 norm (Li et al. 2017), structured.

For each Conv2d whose weight is prunable, each output filter is scored by the L1 norm of its
alive weights, and floor(p * alive_filters + 0.5) whole filters are removed per layer (lowest
L1 first; ties go to the lower filter index). The BatchNorm2d that directly follows the conv
(see `following_batchnorm`) has the same channels' weight and bias put into `Mask.extra`, and so
has the conv's own bias if it has one, so a removed filter's output channel is exactly zero.
Other prunable tensors (linear layers, Conv1d) are left unpruned; lambda still counts all
prunable weights.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from scyc_tune.errors import UsageError
from scyc_tune.pruning.mask import Mask
from scyc_tune.pruning.method import PruneInputs, PruningMethod
from scyc_tune.pruning.select import num_to_prune, prune_lowest

_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def following_batchnorm(model: nn.Module) -> dict[str, str]:
    """Conv2d module name -> name of the BatchNorm2d right after it in module order.

    Module order is registration order (`model.named_modules()`, containers skipped), which for
    torchvision and OpenLTH networks is the order of the forward pass: `conv1 -> bn1`,
    `features.0 -> features.1`, `downsample.0 -> downsample.1`. The BN must have as many
    channels as the conv has filters.
    """
    leaves = [
        (name, m)
        for name, m in model.named_modules()
        if not isinstance(m, _CONTAINERS) and next(m.children(), None) is None
    ]
    return {
        name: next_name
        for (name, m), (next_name, after) in zip(leaves, leaves[1:], strict=False)
        if isinstance(m, nn.Conv2d)
        and isinstance(after, nn.BatchNorm2d)
        and after.num_features == m.out_channels
    }


def filter_l1_scores(weight: Tensor, mask: Tensor) -> Tensor:
    """L1 norm of the alive weights of each output filter: shape (out_channels,)."""
    return (weight.detach().abs() * mask).flatten(1).sum(1)


def prune_filters(scores: Tensor, filters_alive: Tensor, rate: float) -> Tensor:
    """New per-filter alive vector: floor(rate * alive + 0.5) lowest-scoring alive filters die."""
    k = num_to_prune(int(filters_alive.sum()), rate)
    return prune_lowest({"f": scores}, {"f": filters_alive}, k)["f"]


def prune(inputs: PruneInputs) -> Mask:
    model, mask, rate = inputs.model, inputs.mask, inputs.spec.rate
    modules = dict(model.named_modules())
    convs = {}
    for name in mask.names:
        module_name, _, leaf = name.rpartition(".")
        if leaf == "weight" and isinstance(modules.get(module_name), nn.Conv2d):
            convs[name] = module_name
    if not convs:
        raise UsageError(
            "pruning method 'filter_l1' removes Conv2d filters, but no prunable parameter is a "
            f"Conv2d weight (prunable: {', '.join(mask.names[:5])})"
        )
    bn_after = following_batchnorm(model)
    masks, extra = dict(mask.masks), dict(mask.extra)
    for name, module_name in convs.items():
        old = mask[name]
        alive = prune_filters(
            filter_l1_scores(model.get_parameter(name), old), old.flatten(1).any(1), rate
        )
        masks[name] = old & alive.view(-1, *[1] * (old.dim() - 1))
        channel_params = []
        if modules[module_name].bias is not None:
            channel_params.append(f"{module_name}.bias")
        bn = bn_after.get(module_name)
        if bn is not None and modules[bn].affine:
            channel_params += [f"{bn}.weight", f"{bn}.bias"]
        for p in channel_params:
            if p not in masks:
                extra[p] = extra.get(p, torch.ones_like(alive)) & alive
    return Mask(masks, extra)


METHOD = PruningMethod(prune=prune)
