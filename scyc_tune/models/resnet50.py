"""ResNet-50: torchvision's `resnet50` (23,917,832 params at 200 classes, the paper's "23.8M"
for ImageNet-200). A non-RGB input gets a first conv with the right number of in-channels.

``model.width`` < 1 scales the bottleneck stages' planes (64/128/256/512, times 4 at their
outputs) and the classifier's input; the 64-filter stem stays. Module names are torchvision's.
"""

from __future__ import annotations

import torchvision
from torch import nn
from torchvision.models.resnet import Bottleneck, ResNet

from scyc_tune.models._first_conv import with_in_channels
from scyc_tune.models._shapes import image_shape
from scyc_tune.models._width import scaled
from scyc_tune.study.specs import ModelSpec


class _ScaledResNet50(ResNet):
    def __init__(self, width: float, num_classes: int) -> None:
        self._width = width
        super().__init__(Bottleneck, [3, 4, 6, 3], num_classes=num_classes)
        self.fc = nn.Linear(scaled(512, width) * Bottleneck.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        return super()._make_layer(block, scaled(planes, self._width), blocks, stride, dilate)


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    channels, _, _ = image_shape("resnet50", input_shape, min_side=1)
    if spec.width == 1.0:
        model = torchvision.models.resnet50(weights=None, num_classes=num_classes)
    else:
        model = _ScaledResNet50(spec.width, num_classes)
    model.conv1 = with_in_channels(model.conv1, channels)
    return model
