import pytest
import torch
from torch import nn

from scyc_tune.pruning import Mask

T, F = True, False


def test_ones_counts_and_lambda(mlp):
    mask = Mask.ones(mlp, ["0.weight", "2.weight"])
    assert mask.names == ["0.weight", "2.weight"]
    assert mask.num_prunable() == 100 and mask.num_remaining() == 100
    assert mask.percent_remaining() == 100.0
    mask.masks["0.weight"][0, :3] = False
    assert mask.num_remaining() == 97 and mask.percent_remaining() == 97.0


def test_apply_zeroes_masked_entries_and_extras():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    with torch.no_grad():
        model[1].weight.fill_(2.0)
        model[1].bias.fill_(-1.0)
    mask = Mask(
        {"0.weight": torch.tensor([[T, F], [T, T], [F, F]])},
        extra={"1.weight": torch.tensor([T, F, T]), "1.bias": torch.tensor([F, T, T])},
    )
    before = model[0].weight.detach().clone()
    mask.apply(model)
    assert torch.equal(model[0].weight, before * mask["0.weight"])
    assert model[0].weight[2].tolist() == [0.0, 0.0]
    assert model[1].weight.tolist() == [2.0, 0.0, 2.0]
    assert model[1].bias.tolist() == [0.0, -1.0, -1.0]
    assert mask.num_prunable() == 6 and mask.num_remaining() == 3  # extras not counted


def test_state_dict_round_trip(tmp_path):
    mask = Mask(
        {"a.weight": torch.tensor([[T, F]]), "b.weight": torch.tensor([F, T, T])},
        extra={"bn.bias": torch.tensor([T, F])},
    )
    torch.save(mask.state_dict(), tmp_path / "mask.pt")
    state = torch.load(tmp_path / "mask.pt", weights_only=True)
    assert set(state) == {"mask/a.weight", "mask/b.weight", "extra/bn.bias"}
    loaded = Mask.from_state_dict(state)
    assert loaded == mask
    assert loaded.names == ["a.weight", "b.weight"]
    assert loaded != Mask(
        {"a.weight": torch.tensor([[T, T]]), "b.weight": torch.tensor([F, T, T])},
        extra={"bn.bias": torch.tensor([T, F])},
    )


def test_from_state_dict_rejects_other_dicts():
    with pytest.raises(ValueError, match="weight"):
        Mask.from_state_dict({"weight": torch.ones(2, dtype=torch.bool)})


def test_is_subset_of():
    big = Mask({"w": torch.tensor([T, T, F])})
    small = Mask({"w": torch.tensor([T, F, F])})
    assert small.is_subset_of(big) and big.is_subset_of(big)
    assert not big.is_subset_of(small)
    assert not Mask({"w": torch.tensor([F, F, T])}).is_subset_of(big)
    assert not small.is_subset_of(Mask({"v": torch.tensor([T, T, T])}))
    with_extra = Mask({"w": torch.tensor([T, F, F])}, extra={"bn.weight": torch.tensor([T, F])})
    assert with_extra.is_subset_of(big)  # absent extra = all alive
    assert not big.is_subset_of(with_extra)


def test_rejects_non_bool_and_unknown_parameters(mlp):
    with pytest.raises(TypeError, match="bool"):
        Mask({"w": torch.ones(3)})
    with pytest.raises(ValueError, match="'3.weight'"):
        Mask({"3.weight": torch.ones(2, dtype=torch.bool)}).apply(mlp)
    with pytest.raises(ValueError, match="no prunable"):
        Mask({}).percent_remaining()
