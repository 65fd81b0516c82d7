"""Record values made portable: finite floats for SQL columns, strict JSON for text columns.

NaN and infinities (a diverged run's loss) are not portable across backends nor valid JSON;
they become NULL / null. The record's ``diverged`` flag keeps the meaning.
"""

from __future__ import annotations

import json
import math
from typing import Any


def opt_float(value: Any) -> float | None:
    """``float(value)``, or None for None and non-finite values (NaN is not portable SQL)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def to_json(record: dict) -> str:
    return json.dumps(_finite(record), sort_keys=True, allow_nan=False, default=_scalar)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _scalar(value: Any) -> Any:
    """numpy / torch scalars in a record become plain numbers."""
    item = getattr(value, "item", None)
    if callable(item):
        return _finite(item())
    raise TypeError(f"{type(value).__name__} value {value!r} in a trial record is not JSON")
