import pytest
import torch
from torch import nn

from scyc_tune.pruning import Mask, attach_mask, prune, zero_pruned_state
from scyc_tune.study.specs import PruningSpec

NAMES = ["0.weight", "2.weight"]


def step(model, opt, gen):
    opt.zero_grad()
    x, y = torch.randn(8, 10, generator=gen), torch.randint(0, 10, (8,), generator=gen)
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()


def trained(mlp, make_opt):
    """Train 5 steps unpruned, then prune 20% globally: (opt, new mask, data generator)."""
    gen = torch.Generator().manual_seed(2)
    opt = make_opt(mlp.parameters())
    for _ in range(5):
        step(mlp, opt, gen)
    new = prune(PruningSpec(rate=0.2), mlp, Mask.ones(mlp, NAMES))
    new.apply(mlp)
    return opt, new, gen


def sgd(params):
    return torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-4)


def adam(params):
    return torch.optim.Adam(params, lr=0.01, weight_decay=1e-4)


def pruned_values(mlp, mask, tensors=None):
    tensors = tensors or {n: mlp.get_parameter(n) for n in NAMES}
    return torch.cat([tensors[n].detach()[~mask[n]] for n in NAMES])


@pytest.mark.parametrize(
    "make_opt, keys", [(sgd, ["momentum_buffer"]), (adam, ["exp_avg", "exp_avg_sq"])]
)
def test_zero_pruned_state_clears_only_pruned_entries(mlp, make_opt, keys):
    opt, mask, _ = trained(mlp, make_opt)
    states = [{n: opt.state[mlp.get_parameter(n)][key] for n in NAMES} for key in keys]
    before = [{n: s.clone() for n, s in state.items()} for state in states]
    for state in states:
        assert torch.count_nonzero(pruned_values(mlp, mask, state)) > 0  # momentum is live
    zero_pruned_state(opt, mlp, mask)
    for state, old in zip(states, before, strict=True):
        assert torch.count_nonzero(pruned_values(mlp, mask, state)) == 0
        for n in NAMES:
            assert torch.equal(state[n][mask[n]], old[n][mask[n]])


@pytest.mark.parametrize("make_opt", [sgd, adam])
def test_pruned_weights_stay_exactly_zero_through_steps(mlp, make_opt):
    opt, mask, gen = trained(mlp, make_opt)
    alive_before = {n: mlp.get_parameter(n).detach()[mask[n]].clone() for n in NAMES}
    handle = attach_mask(opt, mlp, mask)
    for _ in range(5):
        step(mlp, opt, gen)
        assert torch.count_nonzero(pruned_values(mlp, mask)) == 0
    state = {n: opt.state[mlp.get_parameter(n)] for n in NAMES}
    for n in NAMES:
        for value in state[n].values():
            if value.shape == mask[n].shape:
                assert torch.count_nonzero(value[~mask[n]]) == 0
        assert not torch.equal(mlp.get_parameter(n).detach()[mask[n]], alive_before[n])
    assert mask.num_remaining() == 80

    handle.remove()  # without the hooks, the next step moves pruned weights again
    step(mlp, opt, gen)
    assert torch.count_nonzero(pruned_values(mlp, mask)) > 0


def test_without_hooks_momentum_revives_pruned_weights(mlp):
    opt, mask, gen = trained(mlp, sgd)
    step(mlp, opt, gen)  # mask applied once, but no hooks and no state zeroing
    assert torch.count_nonzero(pruned_values(mlp, mask)) > 0


def test_zeroed_state_alone_is_not_enough(mlp):
    opt, mask, gen = trained(mlp, sgd)
    zero_pruned_state(opt, mlp, mask)
    step(mlp, opt, gen)  # the gradient of a pruned weight is not zero
    assert torch.count_nonzero(pruned_values(mlp, mask)) > 0


def test_extras_stay_zero():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 3 * 3, 2)
    )
    opt = sgd(model.parameters())
    x, y = torch.randn(6, 1, 5, 5), torch.randint(0, 2, (6,))
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    mask = prune(PruningSpec(method="filter_l1", rate=0.5), model, Mask.ones(model, ["0.weight"]))
    dead = ~mask.extra["1.weight"]
    assert int(dead.sum()) == 2
    attach_mask(opt, model, mask)
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        assert torch.count_nonzero(model[1].weight[dead]) == 0
        assert torch.count_nonzero(model[1].bias[dead]) == 0
        assert torch.count_nonzero(model[0].weight[dead]) == 0


def test_the_multiply_mask_gives_masked_fills_bytes():
    """attach_mask multiplies by a 0/1 mask (and adds +0.0) instead of masked_fill_, which
    is 20x slower with a real mask: the trained bytes, zeros' signs included, are the same."""

    def trained(reference: bool) -> dict:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
        names = ["0.weight", "2.weight"]
        g = torch.Generator().manual_seed(1)
        mask = Mask({n: torch.rand(net.get_parameter(n).shape, generator=g) > 0.5 for n in names})
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
        if reference:
            mask.apply(net)
            pairs = [(net.get_parameter(n), mask[n]) for n in names]
        else:
            attach_mask(opt, net, mask)
        x, y = torch.randn(32, 8, generator=g), torch.randint(0, 3, (32,), generator=g)
        for _ in range(10):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            if reference:
                for p, m in pairs:
                    p.grad.masked_fill_(~m, 0)
            opt.step()
            if reference:
                with torch.no_grad():
                    for p, m in pairs:
                        p.masked_fill_(~m, 0)
        return {k: v.view(torch.int32) for k, v in net.state_dict().items()}

    new, old = trained(False), trained(True)
    assert all(torch.equal(new[k], old[k]) for k in old)
