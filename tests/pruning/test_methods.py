import pytest
import torch
from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.pruning import METHODS, Mask, method_rewinds, prune
from scyc_tune.study.specs import PruningSpec

T, F = True, False
NAMES = ["0.weight", "1.weight"]


def toy() -> nn.Sequential:
    """18 prunable weights with distinct hand-set magnitudes."""
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.9, -0.1, 0.5, 1.1],
                                            [-0.3, 0.05, 1.2, -0.7],
                                            [0.6, -0.8, 0.2, 1.3]]))  # fmt: skip
        model[1].weight.copy_(torch.tensor([[-0.15, 1.0, 0.4], [0.25, -1.4, 0.35]]))
    return model


def test_registry_covers_the_spec_methods():
    assert set(METHODS) == set(PruningSpec.model_fields["method"].annotation.__args__)
    assert [n for n in METHODS if method_rewinds(PruningSpec(method=n))] == ["imp"]


@pytest.mark.parametrize("method", ["global_magnitude", "imp"])
def test_global_magnitude_removes_the_four_smallest(method):
    model = toy()
    mask = Mask.ones(model, NAMES)
    new = prune(PruningSpec(method=method, rate=0.2), model, mask)  # floor(3.6 + .5) = 4
    # smallest |w|: 0.05, 0.1, 0.15, 0.2
    assert new["0.weight"].tolist() == [[T, F, T, T], [T, F, T, T], [T, T, F, T]]
    assert new["1.weight"].tolist() == [[F, T, T], [T, T, T]]
    assert new.num_remaining() == 14 and mask.num_remaining() == 18


def test_layer_magnitude_removes_per_layer_counts():
    model = toy()
    new = prune(PruningSpec(method="layer_magnitude", rate=0.2), model, Mask.ones(model, NAMES))
    # layer 0: floor(2.4 + .5) = 2 -> 0.05, 0.1; layer 1: floor(1.2 + .5) = 1 -> 0.15
    assert new["0.weight"].tolist() == [[T, F, T, T], [T, F, T, T], [T, T, T, T]]
    assert new["1.weight"].tolist() == [[F, T, T], [T, T, T]]


@pytest.mark.parametrize("method, dead", [("global_random", [4]), ("layer_random", [2, 1])])
def test_random_counts_and_determinism(method, dead):
    model = toy()
    mask = Mask.ones(model, NAMES)
    spec = PruningSpec(method=method, rate=0.2)
    a, b, c = (prune(spec, model, mask, seed=s) for s in (7, 7, 8))
    if len(dead) == 1:
        assert 18 - a.num_remaining() == dead[0]
    else:
        assert [int((~a[n]).sum()) for n in NAMES] == dead
    assert a == b
    assert a != c
    assert a.num_remaining() == c.num_remaining()


def test_random_is_independent_of_magnitudes(mlp):
    mask = Mask.ones(mlp, NAMES[:1] + ["2.weight"])
    spec = PruningSpec(method="global_random", rate=0.5)
    before = prune(spec, mlp, mask, seed=3)
    with torch.no_grad():
        for p in mlp.parameters():
            p.mul_(-2.0)
    assert prune(spec, mlp, mask, seed=3) == before


@pytest.mark.parametrize("method", sorted(set(METHODS) - {"filter_l1"}))
def test_masks_nest_over_three_cycles(method, mlp, batches):
    names = ["0.weight", "2.weight"]
    spec = PruningSpec(method=method, rate=0.2, gradient_batches=2)
    masks = [Mask.ones(mlp, names)]
    for cycle in range(2):
        with torch.no_grad():  # a stand-in for training: move every weight
            for p in mlp.parameters():
                p.add_(0.1 * torch.randn_like(p))
        masks[-1].apply(mlp)
        masks.append(prune(spec, mlp, masks[-1], batches=batches, seed=cycle))
    assert [m.num_remaining() for m in masks] == [100, 80, 64]
    assert [m.percent_remaining() for m in masks] == [100.0, 80.0, 64.0]
    assert masks[2].is_subset_of(masks[1]) and masks[1].is_subset_of(masks[0])
    if method.startswith("layer"):  # 50 -> 40 -> 32 in each layer
        assert [int(masks[2][n].sum()) for n in names] == [32, 32]


def test_prune_leaves_mask_and_weights_alone(mlp):
    mask = Mask.ones(mlp, ["0.weight", "2.weight"])
    weights = {n: p.detach().clone() for n, p in mlp.named_parameters()}
    prune(PruningSpec(), mlp, mask)
    assert mask.num_remaining() == 100
    assert all(torch.equal(p, weights[n]) for n, p in mlp.named_parameters())


def test_tie_break_follows_model_order_not_mask_order(mlp):
    with torch.no_grad():
        for p in mlp.parameters():
            p.fill_(1.0)
    ordered = Mask.ones(mlp, ["0.weight", "2.weight"])
    reversed_ = Mask({"2.weight": ordered["2.weight"], "0.weight": ordered["0.weight"]})
    spec = PruningSpec(rate=0.6)  # 60 of 100 equal scores: all 50 of 0.weight, 10 of 2.weight
    new = prune(spec, mlp, reversed_)
    assert new == prune(spec, mlp, ordered)
    assert new.names == ["0.weight", "2.weight"]
    assert not new["0.weight"].any()
    assert new["2.weight"].flatten().tolist() == [F] * 10 + [T] * 40


def test_prune_keeps_extras(mlp):
    mask = Mask.ones(mlp, ["0.weight"])
    mask = Mask(mask.masks, extra={"0.bias": torch.tensor([T, F, T, T, T])})
    new = prune(PruningSpec(), mlp, mask)
    assert torch.equal(new.extra["0.bias"], mask.extra["0.bias"])


def test_unknown_method_lists_allowed(mlp):
    spec = PruningSpec.model_construct(method="snip", rate=0.2)
    with pytest.raises(UsageError, match="'snip'.*filter_l1, global_gradient"):
        prune(spec, mlp, Mask.ones(mlp, ["0.weight"]))
