"""Whole files under one root: a local directory, or any filesystem URI (``s3://``, ``gs://``,
``file://``, ``hdfs://``, ... through ``pyarrow.fs``, as Ray Tune's own ``storage_path``; other
``fsspec`` protocols through ``fsspec``).

The artifact store and the run index keep every file under a name derived from its content or
its inputs, and write it once, whole: a reader sees no file or the whole file, never a part.
Locally that is a temporary file in the target's directory, fsynced, renamed over the target.
On an object store a finished upload is the atomic step (S3's PutObject or
CompleteMultipartUpload, GCS's object finalisation: an upload that fails leaves no object), and
the content is serialised in memory before the one write starts, so nothing half-made is sent.

Why pyarrow.fs and not only fsspec: it is what Ray Tune uses for the same URIs (one set of
credentials and query options, ``?endpoint_override=host:port&scheme=http`` for an
S3-compatible server), and it ships with ``ray[tune]``; fsspec covers the protocols pyarrow
does not know.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from scyc_tune.errors import ScycError, UsageError
from scyc_tune.store._atomic import quarantine, write_atomic

_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_uri(root: str | Path) -> bool:
    """True for ``scheme://...`` other than ``file://`` (which is a local directory)."""
    text = str(root)
    return bool(_URI.match(text)) and not text.startswith("file://")


def resolve_root(root: str | Path) -> str:
    """``root`` as every process can use it: an absolute local path (``file://`` dropped), or the
    URI unchanged. ``Path("s3://b/x")`` would collapse the ``//``: URIs stay strings."""
    text = str(root)
    if is_uri(text):
        return text
    if text.startswith("file://"):
        text = text[len("file://") :]
    return str(Path(text).resolve())


def shown(root: str) -> str:
    """``root`` as messages print it: a URI's query (``?endpoint_override=...&secret_key=...``)
    left out, no trailing slash."""
    return root.split("?", 1)[0].rstrip("/") if is_uri(root) else root.rstrip("/")


class Blobs:
    """Files under ``root``, addressed by a relative name of ``/``-separated parts that the
    callers build from validated hex digests (never from study text)."""

    def __init__(self, root: str | Path) -> None:
        self.root = resolve_root(root)
        self._remote = _Remote(self.root) if is_uri(self.root) else None

    def where(self, name: str) -> str:
        """The full path or URI of ``name`` for messages (a URI without its query, which can
        hold credentials)."""
        return f"{shown(self.root)}/{name}"

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None if there is none; ScycError if it cannot be read."""
        if self._remote is not None:
            return self._remote.read(name)
        path = Path(self.root) / name
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ScycError(f"cannot read {path}: {e.strerror or e}") from e

    def exists(self, name: str) -> bool:
        if self._remote is not None:
            return self._remote.exists(name)
        return (Path(self.root) / name).is_file()

    def write(self, name: str, data: bytes) -> None:
        """Create or replace ``name`` with ``data``, whole or not at all."""
        if self._remote is not None:
            self._remote.write(name, data)
        else:
            write_atomic(Path(self.root) / name, lambda f: f.write(data))

    def quarantine(self, name: str) -> str:
        """Move ``name`` into ``quarantine/`` under the root (kept for inspection, under a
        unique name); where it went. One another reader moved first is not an error."""
        if self._remote is None:
            return str(quarantine(Path(self.root) / name, Path(self.root) / "quarantine"))
        return self._remote.quarantine(name)


class _Remote:
    """A URI root on a ``pyarrow.fs`` filesystem (fsspec's, wrapped, for other protocols)."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.fs, self.base = _filesystem(uri)

    def _path(self, name: str) -> str:
        return f"{self.base.rstrip('/')}/{name}"

    def _fail(self, what: str, name: str, e: Exception) -> ScycError:
        reason = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        return ScycError(f"cannot {what} {shown(self.uri)}/{name}: {reason}")

    def exists(self, name: str) -> bool:
        from pyarrow.fs import FileType

        try:
            return self.fs.get_file_info(self._path(name)).type == FileType.File
        except OSError as e:
            raise self._fail("reach", name, e) from e

    def read(self, name: str) -> bytes | None:
        # one request: pyarrow's S3 and fsspec's handler both raise FileNotFoundError for a
        # missing key (checked against moto's server), so no `exists` round trip first
        try:
            with self.fs.open_input_stream(self._path(name)) as f:
                return f.read()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise self._fail("read", name, e) from e

    def write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        try:
            self.fs.create_dir(path.rsplit("/", 1)[0], recursive=True)  # no-op on S3 keys
            with self.fs.open_output_stream(path) as f:
                f.write(data)
        except OSError as e:
            raise self._fail("write", name, e) from e

    def quarantine(self, name: str) -> str:
        stem, _, suffix = name.rsplit("/", 1)[-1].partition(".")
        target = f"quarantine/{stem}.{time.time_ns()}.{suffix}"
        try:
            self.fs.create_dir(self._path("quarantine"), recursive=True)
            self.fs.move(self._path(name), self._path(target))
        except FileNotFoundError:
            pass
        except OSError as e:
            raise self._fail("quarantine", name, e) from e
        return f"{shown(self.uri)}/{target}"


def _filesystem(uri: str):
    """(filesystem, path inside it) for ``uri``: pyarrow's own, else fsspec's."""
    from pyarrow import fs as pafs

    try:
        return pafs.FileSystem.from_uri(uri)
    except ValueError as e:  # ArrowInvalid: a protocol pyarrow does not know
        pa_error = str(e).splitlines()[0][:160]
    except OSError as e:
        raise ScycError(f"cannot open {shown(uri)}: {str(e).splitlines()[0][:160]}") from e
    from fsspec.core import url_to_fs  # ships with ray[tune]

    try:
        fs, path = url_to_fs(uri)
    except (ImportError, ValueError) as e:
        reason = str(e).splitlines()[0][:160]
        raise UsageError(
            f"--artifacts {shown(uri)}: neither pyarrow ({pa_error}) nor fsspec ({reason}) "
            "opens it; use a local directory or an s3:// / gs:// URI"
        ) from e
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path
