"""Content-addressed store of trained cycle states: ``root/<key[:2]>/<key>.pt``, key = digest;
``root`` a local directory or a filesystem URI (``s3://bucket/prefix``; see ``blobs``).

Every read is verified: a file that does not load, or whose state does not hash to its key
(a swapped, truncated or bit-flipped file), is moved to ``root/quarantine/`` and reported as an
``ArtifactError``, which the drivers answer by training that state again.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import torch

from scyc_tune.engine.state import CycleState
from scyc_tune.errors import ScycError
from scyc_tune.store.blobs import Blobs

_KEY = re.compile(r"[0-9a-f]{64}")


class ArtifactError(ScycError):
    """An artifact that is missing, or was quarantined because it failed its check."""


class ArtifactStore:
    """CycleStates on disk, each under the sha256 ``CycleState.digest()`` of its tensors.

    A file is written once, whole (``Blobs.write``), so a reader sees either no artifact or a
    whole one, and two writers of the same state agree on its content.
    """

    def __init__(self, root: str | Path) -> None:
        self.blobs = Blobs(root)
        self.root = self.blobs.root  # an absolute local path or the URI, as a string

    def name(self, key: str) -> str:
        """The artifact's name under the root (whether or not it exists)."""
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ScycError(f"artifact key {key!r} is not a 64-character lowercase sha256 hex")
        return f"{key[:2]}/{key}.pt"

    def exists(self, key: str) -> bool:
        return self.blobs.exists(self.name(key))

    def put(self, state: CycleState) -> str:
        """Store ``state`` and return its key, ``state.digest()``. A file already under that
        key is trusted only if it passes the check; one that fails is quarantined and
        replaced."""
        key = state.digest()
        try:
            self.get(key)  # one read: None when missing (no `exists` request first)
            return key
        except ArtifactError:
            pass  # missing, or quarantined: write the good state in its place
        buffer = io.BytesIO()
        torch.save(state.to_dict(), buffer)
        self.blobs.write(self.name(key), buffer.getvalue())
        return key

    def get(self, key: str) -> CycleState:
        """The state stored under ``key``, checked against its key; ArtifactError if it is
        missing, or unreadable or hashing to another key (then it is quarantined)."""
        name = self.name(key)
        data = self.blobs.read(name)
        if data is None:
            raise ArtifactError(
                f"artifact {key[:12]} is missing (no file {self.blobs.where(name)})"
            )
        try:
            state = CycleState.from_dict(torch.load(io.BytesIO(data), weights_only=True))
        except Exception as e:  # torch raises many types for a truncated or foreign file
            reason = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
            moved = self.blobs.quarantine(name)
            raise ArtifactError(
                f"artifact {key[:12]} is corrupt ({reason}); moved to {moved}"
            ) from e
        if state.digest() != key:
            moved = self.blobs.quarantine(name)
            raise ArtifactError(
                f"artifact {key[:12]} failed its hash check (its content hashes to "
                f"{state.digest()[:12]}); moved to {moved}"
            )
        return state
