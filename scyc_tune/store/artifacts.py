"""Content-addressed store of trained cycle states: ``root/<key[:2]>/<key>.pt``, key = digest."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import torch

from scyc_tune.engine.state import CycleState
from scyc_tune.errors import ScycError

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
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL on a unique name (not mkstemp) so the file gets the umask's mode, not 0600.
        tmp = path.parent / f".{key}.{uuid.uuid4().hex}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as f:
                torch.save(state.to_dict(), f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
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


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
