"""CIFAR ResNet-20 (He et al. 2016, Sec. 4.2), as OpenLTH's `cifar_resnet_20`: 272,474 params
on 3-channel input with 10 classes.

3x3 conv (16) + BN + ReLU, three stages of 3 basic blocks with 16/32/64 filters (the first
block of stages 2 and 3 strides by 2), a 1x1 conv + BN projection shortcut where the shape
changes, global average pooling and a linear classifier. Works on any H, W >= 8.
``model.width`` scales the 16/32/64 filters (1 = the paper's network).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from scyc_tune.models._shapes import image_shape
from scyc_tune.models._width import scaled
from scyc_tune.study.specs import ModelSpec

STAGES = (16, 32, 64)
BLOCKS_PER_STAGE = 3


class Block(nn.Module):
    """Basic residual block: conv-BN-ReLU-conv-BN, plus the (projection) shortcut, then ReLU."""

    def __init__(self, f_in: int, f_out: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(f_in, f_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(f_out)
        self.conv2 = nn.Conv2d(f_out, f_out, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(f_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or f_in != f_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(f_in, f_out, 1, stride=stride, bias=False), nn.BatchNorm2d(f_out)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, in_channels: int, num_classes: int, width: float = 1.0) -> None:
        super().__init__()
        stages = [scaled(f, width) for f in STAGES]
        self.conv = nn.Conv2d(in_channels, stages[0], 3, stride=1, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(stages[0])
        blocks = []
        f_in = stages[0]
        for stage, f_out in enumerate(stages):
            for i in range(BLOCKS_PER_STAGE):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(Block(f_in, f_out, stride))
                f_in = f_out
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(stages[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn(self.conv(x)))
        out = self.pool(self.blocks(out)).flatten(1)
        return self.fc(out)


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    channels, _, _ = image_shape("resnet20", input_shape, min_side=8)
    return ResNet20(channels, num_classes, spec.width)
