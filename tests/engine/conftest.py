"""A tiny study on scikit-learn's digits: a few hundred iterations train in about a second."""

import pytest

from scyc_tune.study import parse_study

TINY = {
    "name": "tiny",
    "seed": 3,
    "schedule": "warm",
    "data": {"name": "digits"},
    "model": {"name": "fc", "hidden": [32, 32]},
    "pruning": {"method": "global_magnitude", "rate": 0.5, "cycles": 2},
    "training": {"iterations": 60, "batch_size": 32, "eval_every": 20},
    "schedules": {
        "warm": {"type": "warmup", "a": 0.05, "b": 10, "c": 50, "d": "Nil", "e": "Nil"},
        "scyc": {
            "type": "scyc",
            "epsilon": 0.05,
            "delta": 0.05,
            "q": 0,
            "beta": 3,
            "b": 10,
            "c": 50,
            "d": "Nil",
            "e": "Nil",
        },
        "huge": {"type": "constant", "a": 1e6},
    },
}


def make_study(**overrides):
    raw = {k: (dict(v) if isinstance(v, dict) else v) for k, v in TINY.items()}
    for section, values in overrides.items():
        if isinstance(values, dict):
            raw[section] = {**raw.get(section, {}), **values}
        else:
            raw[section] = values
    return parse_study(raw)


@pytest.fixture
def tiny_study():
    return make_study()


@pytest.fixture
def study_factory():
    """make_study(**overrides): the tiny study with sections updated."""
    return make_study
