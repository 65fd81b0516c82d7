"""CycleState.digest: the identity of a state, for every kind of tensor a model holds."""

import pytest
import torch

from scyc_tune.engine.state import CycleState, cpu_state_dict
from scyc_tune.models import build_model
from scyc_tune.store import ArtifactStore
from scyc_tune.study.specs import ModelSpec

# Computed by the digest before BatchNorm states were supported: storages written then resume.
PINNED = "b3faa55358016e331aaf82eabe548996cf78c28b205c05312004b16d09b25f72"


def _state() -> CycleState:
    weights = {
        "fc.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3).t(),  # non-contiguous
        "fc.bias": torch.tensor([0.5, -1.0]),
        "empty": torch.zeros(0),
    }
    mask = {"fc.weight": torch.tensor([[True, False], [True, True], [False, True]])}
    return CycleState(weights, mask, 2, {"fc.weight": torch.ones(3, 2, dtype=torch.float64)})


def test_digest_of_a_state_without_0_dim_tensors_is_unchanged():
    assert _state().digest() == PINNED


def test_0_dim_tensors_are_digested_by_value():
    a = CycleState({"n": torch.tensor(3, dtype=torch.long)}, {}, 0)
    b = CycleState({"n": torch.tensor(4, dtype=torch.long)}, {}, 0)
    one = CycleState({"n": torch.tensor([3], dtype=torch.long)}, {}, 0)
    assert a.digest() != b.digest()
    assert a.digest() != one.digest()  # the shape is part of the identity
    assert a.digest() == CycleState({"n": torch.tensor(3, dtype=torch.long)}, {}, 0).digest()


@pytest.mark.parametrize(
    "spec,shape",
    [
        (ModelSpec(name="fc", hidden=[4], batchnorm=True), (5,)),
        (ModelSpec(name="resnet20", width=0.125), (3, 8, 8)),
    ],
)
def test_batchnorm_states_digest_save_and_load(tmp_path, spec, shape):
    torch.manual_seed(0)
    model = build_model(spec, shape, 3)
    model.train()
    model(torch.randn(4, *shape))  # moves running stats and num_batches_tracked
    weights = cpu_state_dict(model)
    assert any(t.dim() == 0 for t in weights.values())  # num_batches_tracked
    state = CycleState(weights, {}, 0)
    key = ArtifactStore(tmp_path).put(state)
    loaded = ArtifactStore(tmp_path).get(key)
    assert key == state.digest() == loaded.digest()
    assert int(loaded.weights[next(k for k in weights if k.endswith("num_batches_tracked"))]) == 1
