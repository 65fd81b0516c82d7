"""VGG-19 with BatchNorm: torchvision's `vgg19_bn` (139,622,218 params at 10 classes, the
paper's "139M"). Needs H, W >= 32 (five 2x2 max-pools); a non-RGB input gets a first conv
with the right number of in-channels (same settings as torchvision's).
"""

from __future__ import annotations

import torchvision
from torch import nn

from scyc_tune.models._first_conv import with_in_channels
from scyc_tune.models._shapes import image_shape
from scyc_tune.study.specs import ModelSpec


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    channels, _, _ = image_shape("vgg19_bn", input_shape, min_side=32)
    model = torchvision.models.vgg19_bn(weights=None, num_classes=num_classes)
    model.features[0] = with_in_channels(model.features[0], channels)
    return model
