"""The model registry: name -> builder. Adding a model is one file plus one line here."""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.models import fc, resnet20, resnet50, vgg19_bn
from scyc_tune.models.init import he_init
from scyc_tune.study.specs import ModelSpec

Builder = Callable[[ModelSpec, tuple[int, ...], int], nn.Module]
"""`builder(spec, input_shape, num_classes)`; input_shape excludes the batch dimension."""

MODELS: dict[str, Builder] = {
    "fc": fc.build,
    "resnet20": resnet20.build,
    "vgg19_bn": vgg19_bn.build,
    "resnet50": resnet50.build,
}


def build_model(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    """Build the network named by `spec` and He-initialise it (see `scyc_tune.models.init`).

    `input_shape` is one sample's shape without the batch dimension, e.g. (3, 32, 32) or (40,).
    Initialisation draws from torch's global RNG, so `torch.manual_seed(s)` before this call
    makes the weights reproducible.
    """
    if spec.name not in MODELS:
        raise UsageError(f"unknown model {spec.name!r}; allowed: {', '.join(sorted(MODELS))}")
    if num_classes < 1:
        raise UsageError(f"num_classes must be at least 1, got {num_classes}")
    model = MODELS[spec.name](spec, tuple(input_shape), num_classes)
    he_init(model)
    return model
