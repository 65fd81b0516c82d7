"""The channel-width multiplier of the conv networks (``model.width``)."""

from __future__ import annotations


def scaled(channels: int, width: float) -> int:
    """``channels`` times ``width``, rounded, at least 1 (width 1 leaves it unchanged)."""
    return max(1, round(channels * width))
