"""Fully connected ReLU network: flatten, [Linear, (BatchNorm1d), ReLU] per hidden layer, Linear.

Module names: `fc1, bn1, relu1, fc2, ...` for hidden layer i and `out` for the classifier, so
parameter names read `fc1.weight`, `bn1.bias`, `out.weight`.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.study.specs import ModelSpec


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    if any(width < 1 for width in spec.hidden):
        raise UsageError(f"model.hidden widths must be positive, got {spec.hidden}")
    layers: OrderedDict[str, nn.Module] = OrderedDict(flatten=nn.Flatten())
    width = math.prod(input_shape)
    for i, out in enumerate(spec.hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, out)
        if spec.batchnorm:
            layers[f"bn{i}"] = nn.BatchNorm1d(out)
        layers[f"relu{i}"] = nn.ReLU()
        width = out
    layers["out"] = nn.Linear(width, num_classes)
    return nn.Sequential(layers)
