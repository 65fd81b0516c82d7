"""A tiny fc network on scikit-learn's digits (no download), and a pruned state of it."""

import pytest
import torch

from scyc_tune.engine.start import initial_state
from scyc_tune.engine.state import CycleState
from scyc_tune.pruning import Mask
from scyc_tune.study.specs import DataSpec, ModelSpec

SEED = 3


@pytest.fixture
def digits() -> DataSpec:
    return DataSpec(name="digits")


@pytest.fixture
def tiny_fc() -> ModelSpec:
    """64 -> 16 -> 16 -> 10: 1024 + 256 + 160 = 1440 prunable weights, 32 ReLU outputs."""
    return ModelSpec(name="fc", hidden=[16, 16])


@pytest.fixture
def pruned_state(digits, tiny_fc) -> CycleState:
    """The initialisation with 100 weights of fc1 and 10 of out pruned: 1330 survive."""
    start = initial_state(digits, tiny_fc, SEED)
    mask = Mask.from_state_dict(start.mask)
    masks = {n: m.clone() for n, m in mask.masks.items()}
    masks["fc1.weight"].view(-1)[:100] = False
    masks["out.weight"].view(-1)[:10] = False
    pruned = Mask(masks, mask.extra)
    weights = {k: v.clone() for k, v in start.weights.items()}
    for name, m in masks.items():
        weights[name][~m] = 0.0
    return CycleState(weights, pruned.state_dict(), 1, start.rewind_weights)


@pytest.fixture
def seed() -> int:
    return SEED


@pytest.fixture
def relu_net() -> torch.nn.Module:
    """A module mixing nn.ReLU (reused, once in place) with functional relus."""

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.relu = torch.nn.ReLU(inplace=True)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            a = self.relu(x.clone())  # 6 values
            b = torch.nn.functional.relu(x[:, :2])  # 4 values
            c = self.relu(x.sum(1, keepdim=True))  # 2 values
            return a.sum() + b.sum() + c.sum() + x.relu().sum()  # + 6 values

    return Net()
