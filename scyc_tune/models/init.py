"""He initialisation (He et al. 2015), as used in the S-Cyc paper for every network.

Conv and linear weights: `kaiming_normal_(mode="fan_in", nonlinearity="relu")`, i.e. normal
with std sqrt(2 / fan_in); their biases zero. BatchNorm: weight 1, bias 0. Draws come from
torch's global RNG in `model.modules()` order.
"""

from __future__ import annotations

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

_WEIGHTED = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)


def he_init(model: nn.Module) -> None:
    """Re-initialise `model` in place (overrides whatever the constructor drew)."""
    for module in model.modules():
        if isinstance(module, _WEIGHTED):
            nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, _BatchNorm) and module.affine:
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
