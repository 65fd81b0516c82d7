"""Names of comparison cycles: cycle m of a run is the sha256 of everything that determines
it (the study's data, model, pruning and training specs, the seed and the schedules of cycles
0 .. m), not of the number of cycles, the device or the row's label. A longer run, or another
row with the same schedules so far, finds the stored cycles."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from scyc_tune.schedules import ScheduleParams
from scyc_tune.study import Study


def cycle_keys(study: Study, seed: int, schedules: Sequence[ScheduleParams]) -> list[str]:
    """One key per cycle, ``keys[m]`` naming cycle m of this run."""
    base = {
        "data": study.data.model_dump(mode="json", exclude_defaults=True),
        "model": study.model.model_dump(mode="json", exclude_defaults=True),
        "pruning": study.pruning.model_dump(mode="json", exclude_defaults=True, exclude={"cycles"}),
        "training": study.training.model_dump(
            mode="json", exclude_defaults=True, exclude={"device"}
        ),
        "seed": int(seed),
    }
    keys, prefix = [], []
    for s in schedules:
        prefix.append({"type": s.type, **s.model_dump(mode="json", exclude_defaults=True)})
        text = json.dumps({**base, "schedules": prefix}, sort_keys=True)
        keys.append(hashlib.sha256(text.encode()).hexdigest())
    return keys
