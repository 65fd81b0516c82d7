"""The STUDY.toml argument: load and validate the study, and say once per process which of its
schedules do not fit the cycle (exit 2 where nothing could be trained)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scyc_tune.errors import UsageError
from scyc_tune.study import Study, load_study
from scyc_tune.study.load import Override
from scyc_tune.study.schedule_fit import misfits

_warned: set[str] = set()


def load_checked(path: str | Path, overrides: Sequence[Override] = ()) -> Study:
    """The study in ``path`` with ``overrides`` (``--set``, the short flags) merged in before
    validation; StudyError / UsageError (exit 2) for anything that does not validate."""
    study = load_study(path, overrides)
    problems = misfits(study)
    for p in problems:
        if p.useless:
            raise UsageError(f"{path}: {p.message()}")
    key = str(Path(path).resolve()) + "".join(f" {o.shown}" for o in overrides)
    if key not in _warned:
        _warned.add(key)
        for p in problems:
            print(f"scyc-tune: warning: {path}: {p.message()}", file=sys.stderr, flush=True)
    return study


def load_args(args: argparse.Namespace) -> Study:
    """The study of a command's parsed arguments: ``args.study`` with its overrides."""
    from scyc_tune.cli.flags import study_overrides

    return load_checked(args.study, study_overrides(args))
