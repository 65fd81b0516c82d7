"""Content-addressed store of trained cycle states: ``root/<key[:2]>/<key>.pt``, key = digest.

Every read is verified: a file that does not load, or whose state does not hash to its key
(a swapped, truncated or bit-flipped file), is moved to ``root/quarantine/`` and reported as an
``ArtifactError``, which the drivers answer by training that state again.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from scyc_tune.engine.state import CycleState
from scyc_tune.errors import ScycError
from scyc_tune.store._atomic import quarantine, write_atomic

_KEY = re.compile(r"[0-9a-f]{64}")


class ArtifactError(ScycError):
    """An artifact that is missing, or was quarantined because it failed its check."""


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
        """Store ``state`` and return its key, ``state.digest()``. A file already under that
        key is trusted only if it passes the check; one that fails is quarantined and
        replaced."""
        key = state.digest()
        path = self.path(key)
        if path.is_file():
            try:
                self.get(key)
                return key
            except ArtifactError:
                pass  # quarantined: write the good state in its place
        write_atomic(path, lambda f: torch.save(state.to_dict(), f))
        return key

    def get(self, key: str) -> CycleState:
        """The state stored under ``key``, checked against its key; ArtifactError if it is
        missing, or unreadable or hashing to another key (then it is quarantined)."""
        path = self.path(key)
        if not path.is_file():
            raise ArtifactError(f"artifact {key[:12]} is missing (no file {path})")
        try:
            state = CycleState.from_dict(torch.load(path, weights_only=True))
        except Exception as e:  # torch raises many types for a truncated or foreign file
            reason = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
            moved = quarantine(path, self.root / "quarantine")
            raise ArtifactError(
                f"artifact {key[:12]} is corrupt ({reason}); moved to {moved}"
            ) from e
        if state.digest() != key:
            moved = quarantine(path, self.root / "quarantine")
            raise ArtifactError(
                f"artifact {key[:12]} failed its hash check (its content hashes to "
                f"{state.digest()[:12]}); moved to {moved}"
            )
        return state
