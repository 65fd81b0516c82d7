"""Seeds derived from the run seed, so every random choice of a cycle is reproducible."""

from __future__ import annotations

import hashlib


def derive_seed(seed: int, *parts: object) -> int:
    """A 63-bit seed determined by ``seed`` and the labels ``parts`` (e.g. cycle, "batches")."""
    text = "/".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1
