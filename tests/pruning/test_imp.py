import copy

import torch
from torch import nn

from scyc_tune.pruning import Mask, method_rewinds, prune, rewind
from scyc_tune.study.specs import PruningSpec


def test_imp_rewinds_survivors_to_initial_values_and_keeps_pruned_at_zero():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    initial = copy.deepcopy(model.state_dict())
    names = ["0.weight", "3.weight"]
    mask = Mask.ones(model, names)
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    for _ in range(5):  # train: weights, biases and BN running stats all move
        opt.zero_grad()
        x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    assert not torch.equal(model[1].running_mean, initial["1.running_mean"])

    spec = PruningSpec(method="imp", rate=0.2)
    assert method_rewinds(spec)
    new = prune(spec, model, mask)
    assert new == prune(PruningSpec(method="global_magnitude", rate=0.2), model, mask)
    assert new.num_remaining() == 72 - 14  # floor(0.2 * 72 + .5) = 14

    trained = {n: p.detach().clone() for n, p in model.named_parameters()}
    rewind(model, new, initial)
    for name, value in model.state_dict().items():
        if name in names:
            alive = new[name]
            assert torch.equal(value[alive], initial[name][alive])
            assert torch.count_nonzero(value[~alive]) == 0
            assert not torch.equal(trained[name][alive], value[alive])
        else:  # biases, BN affine and running stats
            assert torch.equal(value, initial[name]), name


def test_only_imp_rewinds():
    assert not method_rewinds(PruningSpec(method="global_magnitude"))
    assert not method_rewinds(PruningSpec(method="filter_l1"))
