"""Adapting a torchvision network's first convolution to the input's channel count."""

from __future__ import annotations

from torch import nn


def with_in_channels(conv: nn.Conv2d, in_channels: int) -> nn.Conv2d:
    """`conv` itself if it already takes `in_channels`, else a fresh conv with the same settings."""
    if conv.in_channels == in_channels:
        return conv
    return nn.Conv2d(
        in_channels,
        conv.out_channels,
        conv.kernel_size,
        stride=conv.stride,
        padding=conv.padding,
        dilation=conv.dilation,
        groups=conv.groups,
        bias=conv.bias is not None,
    )
