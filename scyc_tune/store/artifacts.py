"""Content-addressed store of trained cycle states: ``root/<key[:2]>/<key>.pt``, key = digest."""

from __future__ import annotations

import re
from pathlib import Path

import torch

from scyc_tune.engine.state import CycleState
from scyc_tune.errors import ScycError
from scyc_tune.store._atomic import write_atomic

_KEY = re.compile(r"[0-9a-f]{64}")


class ArtifactStore:
    """CycleStates on disk, each under the sha256 ``CycleState.digest()`` of its tensors.

    A file is written once (to a temporary file in the same directory, fsynced, then renamed over
    the final name), so a reader sees either no artifact or a whole one, and two writers of the
    same state agree on its content. The root directory is created on the first ``put``.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where the artifact ``key`` lives (whether or not it exists)."""
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ScycError(f"artifact key {key!r} is not a 64-character lowercase sha256 hex")
        return self.root / key[:2] / f"{key}.pt"

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def put(self, state: CycleState) -> str:
        """Store ``state`` (unless already stored) and return its key, ``state.digest()``."""
        key = state.digest()
        path = self.path(key)
        if path.is_file():
            return key
        write_atomic(path, lambda f: torch.save(state.to_dict(), f))
        return key

    def get(self, key: str) -> CycleState:
        """The state stored under ``key``; ScycError if it is missing or unreadable."""
        path = self.path(key)
        if not path.is_file():
            raise ScycError(f"artifact {key} is missing: no file {path}")
        try:
            return CycleState.from_dict(torch.load(path, weights_only=True))
        except Exception as e:  # torch raises many types for a truncated or foreign file
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ScycError(f"artifact {key} is corrupt: cannot load {path} ({reason})") from e
