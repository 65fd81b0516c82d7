"""Paths built from study text (a study name, a label) stay under their root."""

from __future__ import annotations

from pathlib import Path

from scyc_tune.errors import UsageError


def inside(root: str | Path, *parts: str) -> Path:
    """``root / parts...``, refused (UsageError, exit 2) unless it lies strictly under ``root``
    once resolved: study names are validated identifiers, and this is the second line."""
    root = Path(root)
    path = root.joinpath(*parts)
    base, full = root.resolve(), path.resolve()
    if full == base or base not in full.parents:
        raise UsageError(f"{'/'.join(parts)!r} would lead outside {root}; rename it")
    return path
