import pytest
import torch
from torch import nn


@pytest.fixture
def mlp() -> nn.Sequential:
    """100 prunable weights: Linear(10, 5) and Linear(5, 10), seeded."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 10))


@pytest.fixture
def batches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Three (x, y) batches for a 10-in, 10-class model."""
    gen = torch.Generator().manual_seed(1)
    return [
        (torch.randn(8, 10, generator=gen), torch.randint(0, 10, (8,), generator=gen))
        for _ in range(3)
    ]
