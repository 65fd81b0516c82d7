"""Input-shape checks shared by the image models."""

from __future__ import annotations

from scyc_tune.errors import UsageError


def image_shape(model: str, input_shape: tuple[int, ...], min_side: int) -> tuple[int, int, int]:
    """Return (C, H, W), or raise a UsageError saying what `model` needs."""
    if len(input_shape) != 3 or min(input_shape[1:]) < min_side or input_shape[0] < 1:
        raise UsageError(
            f"model {model!r} needs image inputs (C, H, W) with H, W >= {min_side}; "
            f"the dataset gives {tuple(input_shape)}"
        )
    c, h, w = input_shape
    return c, h, w
