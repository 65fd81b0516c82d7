"""The STUDY.toml argument: load and validate the study, and say once per process which of its
schedules do not fit the cycle (exit 2 where nothing could be trained)."""

from __future__ import annotations

import sys
from pathlib import Path

from scyc_tune.errors import UsageError
from scyc_tune.study import Study, load_study
from scyc_tune.study.schedule_fit import misfits

_warned: set[str] = set()


def load_checked(path: str | Path) -> Study:
    study = load_study(path)
    problems = misfits(study)
    for p in problems:
        if p.useless:
            raise UsageError(f"{path}: {p.message()}")
    key = str(Path(path).resolve())
    if key not in _warned:
        _warned.add(key)
        for p in problems:
            print(f"scyc-tune: warning: {path}: {p.message()}", file=sys.stderr, flush=True)
    return study
