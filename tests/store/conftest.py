"""Fixtures for the store tests: a fresh SQLite database per test and tiny CycleStates."""

from datetime import UTC, datetime

import pytest
import torch

from scyc_tune.engine.state import CycleState
from scyc_tune.store import OracleDB

T0 = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """Every store test on SQLite, and on a live PostgreSQL server with ``-m postgres``."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'oracle.db'}"


@pytest.fixture
def db(url):
    with OracleDB(url) as opened:
        yield opened


@pytest.fixture
def t0():
    return T0


@pytest.fixture
def make_state():
    """``make_state(cycle, offset)``: a 2x3 linear layer with a mask; offset changes the bytes."""

    def make(cycle: int = 0, offset: float = 0.0) -> CycleState:
        weight = torch.arange(6, dtype=torch.float32).reshape(2, 3) + offset
        return CycleState(
            weights={"fc.weight": weight, "fc.bias": torch.tensor([0.5, -0.5])},
            mask={"fc.weight": torch.tensor([[1, 0, 1], [1, 1, 0]], dtype=torch.bool)},
            cycle=cycle,
            rewind_weights={"fc.weight": torch.zeros(2, 3), "fc.bias": torch.zeros(2)},
        )

    return make
