"""Whole-or-nothing file writes: a unique temporary file in the target's directory, fsynced,
then renamed over the target, so a reader sees the old file, no file or the whole new one."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Create ``path`` (and its directory) with what ``write`` writes to a binary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL on a unique name (not mkstemp) so the file gets the umask's mode, not 0600.
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        cause = _os_error(exc)
        if cause is not None and cause.filename is None:  # torch.save loses the file's name
            raise OSError(
                cause.errno, cause.strerror or os.strerror(cause.errno), str(path)
            ) from exc
        raise
    _fsync_dir(path.parent)


def _os_error(exc: BaseException) -> OSError | None:
    """The first OSError with an errno in ``exc``'s chain (torch wraps a failed write in a
    RuntimeError whose context is the OSError)."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno is not None:
            return e
        e = e.__cause__ or e.__context__
    return None


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


def quarantine(path: Path, into: Path) -> Path:
    """Move ``path`` into the folder ``into`` (kept for inspection, under a unique name) and
    return where it went; a file another reader moved first is not an error."""
    target = into / f"{path.stem}.{time.time_ns()}{path.suffix}"
    into.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(path, target)
    except FileNotFoundError:
        pass
    return target
