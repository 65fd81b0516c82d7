"""Command-line flags generated from a pydantic record, so the schema stays the one source."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import BaseModel

_SKIP = {"type"}


def add_model_flags(parser: argparse.ArgumentParser, model: type[BaseModel]) -> list[str]:
    """Add ``--field`` for every field of ``model`` (values are validated later by pydantic);
    returns the field names."""
    names = []
    for name, field in model.model_fields.items():
        if name in _SKIP:
            continue
        default = field.default
        help_text = f"{field.description or ''} (default: {default})"
        flags = [f"--{name}"] + ([f"--{name.replace('_', '-')}"] if "_" in name else [])
        parser.add_argument(*flags, dest=f"param_{name}", metavar="VALUE", help=help_text)
        names.append(name)
    return names


def collect_model_flags(args: argparse.Namespace, names: list[str]) -> dict[str, Any]:
    """The flags the user gave, as raw strings keyed by field name."""
    given = {}
    for name in names:
        value = getattr(args, f"param_{name}", None)
        if value is not None:
            given[name] = value
    return given


def at_least_one(args: argparse.Namespace, *flags: str) -> None:
    """Usage error (exit 2) for any of these integer flags given below 1 (None: not given)."""
    from scyc_tune.errors import UsageError

    for flag in flags:
        value = getattr(args, flag)
        if value is not None and value < 1:
            raise UsageError(f"--{flag.replace('_', '-')} {value}: must be at least 1")
