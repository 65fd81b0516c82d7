"""One-line texts for DatasetError: how to get a dataset, and the gist of a caught exception."""

from __future__ import annotations


def how_to_get(holds: str) -> str:
    """The fix for a missing dataset; ``holds`` is what the data directory must contain."""
    return (
        "set data.download = true in the study file, or point data.data_dir (or "
        f"$SCYC_DATA_DIR) at a directory that holds {holds}"
    )


def gist(exc: BaseException) -> str:
    """The first line of an exception's text, or its type name when it has no text."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
