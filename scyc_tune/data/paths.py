"""Where the real datasets live: ``data.data_dir`` if given, else ``$SCYC_DATA_DIR`` (when set
and non-empty), else ``storage/data`` relative to the current directory."""

from __future__ import annotations

import os
from pathlib import Path

from scyc_tune.study.specs import DataSpec

ENV_VAR = "SCYC_DATA_DIR"
DEFAULT_DATA_DIR = Path("storage") / "data"


def data_dir(spec: DataSpec) -> Path:
    """The data directory for ``spec`` as an absolute path (``~`` expanded, links kept)."""
    chosen = spec.data_dir or os.environ.get(ENV_VAR) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().absolute()
