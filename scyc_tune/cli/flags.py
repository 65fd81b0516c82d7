"""Command-line flags generated from a pydantic record, so the schema stays the one source."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
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
    """The flags the user gave, keyed by field name, each read as a TOML value (``0.1`` a
    number, ``Nil`` the text) as a study file would give it to the strict schema."""
    from scyc_tune.study.load import toml_value

    given = {}
    for name in names:
        value = getattr(args, f"param_{name}", None)
        if value is not None:
            given[name] = toml_value(value)
    return given


# ---- study overrides: --set KEY=VALUE and the short flags that alias a study field ----------


@dataclass(frozen=True)
class Alias:
    """A short flag that sets one study field (``key``, a dotted path; ``{mode}`` is replaced
    by the parsed ``--mode``). ``convert`` reads the typed text (default: a TOML value);
    ``switch`` makes it a flag without a value that sets ``true``."""

    flag: str
    key: str
    help: str | None = None
    convert: Callable[[str], Any] | None = None
    switch: bool = False
    metavar: str = "N"


#: the one table of short flags, per command: flag -> study field
ALIASES: dict[str, tuple[Alias, ...]] = {
    "oracle": (
        Alias("--cycles", "pruning.cycles", metavar="L"),
        Alias(
            "--grid",
            "oracle.grid",
            convert=str,
            metavar="GRID",
            help="max_lr values: 'v1,v2,...' or 'start:stop:count[:log]' (study: oracle.grid)",
        ),
        Alias("--cpus-per-trial", "oracle.cpus_per_trial", metavar="C"),
        Alias("--gpus-per-trial", "oracle.gpus_per_trial", metavar="G"),
        Alias("--max-concurrent", "oracle.max_concurrent"),
        Alias("--asha", "oracle.asha", switch=True),
    ),
    "fit": (
        Alias(
            "--trials",
            "fit.{mode}_trials",
            help="oracle: trials to run (study: fit.oracle_trials); accuracy: finished "
            "trials the study should reach (study: fit.accuracy_trials)",
        ),
        Alias("--cycles", "pruning.cycles", metavar="L"),
        Alias("--max-concurrent", "fit.max_concurrent"),
    ),
    "compare": (
        Alias("--seeds", "compare.seeds"),
        Alias("--cycles", "pruning.cycles", metavar="L"),
        Alias("--max-concurrent", "compare.max_concurrent"),
    ),
    "report": (Alias("--seeds", "compare.seeds"),),
    "run": (Alias("--seeds", "compare.seeds"),),
    "prune": (
        Alias("--cycles", "pruning.cycles", metavar="L"),
        Alias("--device", "training.device", convert=str, metavar="DEVICE"),
    ),
    "gradients": (),
}


def study_field(key: str) -> Any:
    """The pydantic field at the dotted ``key`` of the study schema (None: not a field)."""
    from scyc_tune.study import Study

    model: Any = Study
    field = None
    for part in key.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = field.annotation
    return field


def _alias_help(alias: Alias) -> str:
    if alias.help:
        return alias.help
    field = study_field(alias.key)
    description = field.description if field is not None else ""
    return f"{description} (study: {alias.key}; same as --set {alias.key}=...)"


class _Override(argparse.Action):
    """Appends each override to ``args.overrides`` in command-line order (the last one wins)."""

    def __init__(self, *args: Any, alias: Alias | None = None, **kwargs: Any) -> None:
        self.alias = alias
        super().__init__(*args, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        given = list(getattr(namespace, "overrides", None) or [])
        given.append((self.alias, option_string, values))
        namespace.overrides = given


def add_override_flags(parser: argparse.ArgumentParser, command: str) -> None:
    """``--set KEY=VALUE`` and the command's short flags of ALIASES (each sets its field)."""
    parser.set_defaults(overrides=[])
    parser.add_argument(
        "--set",
        action=_Override,
        metavar="KEY=VALUE",
        help="set a study-file field for this run, KEY a dotted path and VALUE a TOML value "
        "(--set oracle.max_concurrent=2 --set training.iterations=300); repeatable",
    )
    for alias in ALIASES[command]:
        parser.add_argument(
            alias.flag,
            action=_Override,
            alias=alias,
            nargs=0 if alias.switch else None,
            metavar=None if alias.switch else alias.metavar,
            help=_alias_help(alias),
        )


def study_overrides(args: argparse.Namespace) -> list:
    """The overrides given on the command line, in order, as study.load.Override records."""
    from scyc_tune.study.load import Override, parse_set, toml_value

    out = []
    for alias, flag, value in getattr(args, "overrides", None) or []:
        if alias is None:
            out.append(parse_set(value))
        elif alias.switch:
            out.append(Override(alias.key.format(**vars(args)), True, flag))
        else:
            convert = alias.convert or toml_value
            out.append(Override(alias.key.format(**vars(args)), convert(value), flag, value))
    return out
