"""A study with an S-Cyc schedule, and a synthetic oracle stored the way `oracle` stores one."""

import pytest

from scyc_tune.schedules.scyc import scyc_max_lr
from scyc_tune.store import OracleDB
from scyc_tune.store.answer import OracleAnswer, Region
from scyc_tune.study import parse_study

SHAPE = {"b": 10, "c": 50, "d": "Nil", "e": "Nil"}


def make_study(fit=None, **scyc):
    raw = {
        "name": "synthetic",
        "seed": 1,
        "schedule": "s-cyc",
        "data": {"name": "digits"},
        "model": {"name": "fc", "hidden": [32, 32]},
        "pruning": {"method": "global_magnitude", "rate": 0.5, "cycles": 8},
        "training": {"iterations": 60, "batch_size": 32, "eval_every": 20},
        "schedules": {
            "s-cyc": {
                "type": "scyc",
                **{"epsilon": 0.04, "delta": 0.05, "q": 0, "beta": 3, **scyc},
                **SHAPE,
            },
            "warm": {"type": "warmup", "a": 0.05, **SHAPE},
        },
        "oracle": {"grid": {"start": 0.01, "stop": 0.3, "count": 30}},
    }
    if fit is not None:
        raw["fit"] = fit
    return parse_study(raw)


def store_oracle(url, study, truth, width=0.1):
    """An oracle whose well-tuned max_lr is S-Cyc(truth) and whose feasible region is that
    value +- ``width`` (relative), for every cycle of the study."""
    with OracleDB(url) as db:
        sid = db.studies.upsert(study.name, "", "d" * 64)
        for m in range(study.pruning.cycles):
            v = scyc_max_lr(
                truth["epsilon"], truth["delta"], truth["q"], truth["beta"], study.pruning.rate, m
            )
            row = db.oracle.upsert_cycle(sid, m, 100 * (1 - study.pruning.rate) ** m, f"{m:064x}")
            region = Region(v, 0.5, (v * (1 - width), v, v * (1 + width)), True)
            db.oracle.finish_cycle(row.id, OracleAnswer(m, row.percent_remaining, (), region))


@pytest.fixture
def study_factory():
    return make_study


@pytest.fixture
def oracle_store():
    return store_oracle
