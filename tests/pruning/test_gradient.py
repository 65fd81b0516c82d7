import pytest
import torch
from torch import nn

from scyc_tune.pruning import Mask, prune
from scyc_tune.pruning.scores import gradient_scores, summed_gradients
from scyc_tune.study.specs import PruningSpec

T, F = True, False


def linear() -> nn.Linear:
    model = nn.Linear(3, 2, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, -0.5, 2.0], [3.0, 1.0, 0.25]]))
    return model


def dot_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (out * y).sum()  # d/dW = sum_n y_n x_n^T


BATCHES = [
    (torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([[1.0, -1.0]])),
    (torch.tensor([[0.0, 1.0, -1.0]]), torch.tensor([[2.0, 1.0]])),
    (torch.tensor([[5.0, 5.0, 5.0]]), torch.tensor([[1.0, 1.0]])),  # beyond gradient_batches=2
]
# g = [[1,2,3],[-1,-2,-3]] + [[0,2,-2],[0,1,-1]]
G = [[1.0, 4.0, 1.0], [-1.0, -1.0, -4.0]]
SCORES = [[1.0, 2.0, 2.0], [3.0, 1.0, 1.0]]  # |W * G|


def test_summed_gradient_and_scores_by_hand():
    model = linear()
    assert summed_gradients(model, ["weight"], BATCHES, dot_loss, 2)["weight"].tolist() == G
    assert gradient_scores(model, ["weight"], BATCHES, dot_loss, 2)["weight"].tolist() == SCORES
    assert model.weight.grad is None  # .grad untouched


def test_gradient_batches_bounds_the_sum():
    three = summed_gradients(linear(), ["weight"], BATCHES, dot_loss, 3)["weight"]
    assert three.tolist() == [[6.0, 9.0, 6.0], [4.0, 4.0, 1.0]]
    one = summed_gradients(linear(), ["weight"], iter(BATCHES), dot_loss, 5)  # runs out: 3 used
    assert torch.equal(one["weight"], three)


@pytest.mark.parametrize("method", ["global_gradient", "layer_gradient"])
def test_gradient_methods_prune_lowest_w_times_g(method):
    model = linear()
    spec = PruningSpec(method=method, rate=1 / 3, gradient_batches=2)  # k = floor(2 + .5) = 2
    new = prune(spec, model, Mask.ones(model, ["weight"]), batches=BATCHES, loss_fn=dot_loss)
    # three scores of 1.0 at (0,0), (1,1), (1,2): the first two in flat order go
    assert new["weight"].tolist() == [[F, T, T], [T, F, T]]


def test_default_loss_is_cross_entropy():
    model = linear()
    x, y = torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([1])
    expected = torch.autograd.grad(nn.functional.cross_entropy(model(x), y), model.weight)[0]
    got = summed_gradients(model, ["weight"], [(x, y)], None, 1)["weight"]
    assert torch.equal(got, expected)


def test_batchnorm_in_eval_during_accumulation_and_mode_restored():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    with torch.no_grad():
        model[1].running_mean.fill_(0.3)
        model[1].running_var.fill_(2.0)
    seen = []
    model[1].register_forward_pre_hook(lambda m, args: seen.append(m.training))
    batches = [(torch.randn(5, 3), torch.randint(0, 2, (5,))) for _ in range(3)]
    state = {k: v.clone() for k, v in model.state_dict().items()}
    names = ["0.weight", "3.weight"]

    model.train()
    scores = gradient_scores(model, names, batches, None, 2)
    assert seen == [False, False]
    assert model.training and model[1].training
    assert all(torch.equal(v, state[k]) for k, v in model.state_dict().items())  # stats kept

    model.eval()  # the same scores computed by hand in eval mode
    grads = [torch.zeros_like(model.get_parameter(n)) for n in names]
    params = [model.get_parameter(n) for n in names]
    for x, y in batches[:2]:
        loss = nn.functional.cross_entropy(model(x), y)
        for g, d in zip(grads, torch.autograd.grad(loss, params), strict=True):
            g += d
    for n, g in zip(names, grads, strict=True):
        assert torch.equal(scores[n], (model.get_parameter(n).detach() * g).abs())
    gradient_scores(model, names, batches, None, 1)
    assert not model.training  # eval stays eval


def test_gradient_methods_need_batches():
    model = linear()
    with pytest.raises(ValueError, match="'layer_gradient' needs training batches"):
        prune(PruningSpec(method="layer_gradient"), model, Mask.ones(model, ["weight"]))
    with pytest.raises(ValueError, match="at least one"):
        summed_gradients(model, ["weight"], [], None, 2)
