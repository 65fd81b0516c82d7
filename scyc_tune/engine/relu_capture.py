"""Capture the outputs of every ReLU a forward pass runs, module or functional.

Forward hooks on ``nn.ReLU`` modules would miss the networks that call ``F.relu`` directly
(``resnet20``), so the capture intercepts the relu functions themselves with a
``TorchFunctionMode``: ``nn.ReLU`` calls ``F.relu``, so both kinds are seen, once per call (a
module reused in several places, as in torchvision's Bottleneck, is seen at every use).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.overrides import TorchFunctionMode

RELU_FUNCTIONS = frozenset({F.relu, F.relu_, torch.relu, torch.relu_, Tensor.relu, Tensor.relu_})


class ReluCapture(TorchFunctionMode):
    """``with ReluCapture() as capture: net(x)`` leaves in ``capture.outputs`` a detached, flat
    copy (same device and dtype) of each relu output, in call order."""

    def __init__(self) -> None:
        super().__init__()
        self.outputs: list[Tensor] = []

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        out = func(*args, **(kwargs or {}))
        if func in RELU_FUNCTIONS:
            # a copy: an in-place op later in the forward must not change what was captured
            self.outputs.append(out.detach().reshape(-1).clone())
        return out
