"""ResNet-50: torchvision's `resnet50` (23,917,832 params at 200 classes, the paper's "23.8M"
for ImageNet-200). A non-RGB input gets a first conv with the right number of in-channels.
"""

from __future__ import annotations

import torchvision
from torch import nn

from scyc_tune.models._first_conv import with_in_channels
from scyc_tune.models._shapes import image_shape
from scyc_tune.study.specs import ModelSpec


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    channels, _, _ = image_shape("resnet50", input_shape, min_side=1)
    model = torchvision.models.resnet50(weights=None, num_classes=num_classes)
    model.conv1 = with_in_channels(model.conv1, channels)
    return model
