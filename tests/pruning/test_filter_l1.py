import pytest
import torch
import torchvision
from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.models import build_model, prunable_names
from scyc_tune.pruning import Mask, prune
from scyc_tune.pruning.filter_l1 import following_batchnorm
from scyc_tune.study.specs import ModelSpec, PruningSpec

T, F = True, False
SPEC = PruningSpec(method="filter_l1", rate=0.5)


def conv_bn() -> nn.Sequential:
    """Conv2d(1 -> 4 filters of 2x2) + BN + ReLU + pool + Linear(4, 2): 16 + 8 prunable."""
    model = nn.Sequential(
        nn.Conv2d(1, 4, 2, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2),
    )  # fmt: skip
    with torch.no_grad():  # filter L1 norms: 2.0, 0.4, 1.2, 0.8
        values = torch.tensor([0.5, -0.1, 0.3, -0.2]).view(4, 1, 1, 1)
        model[0].weight.copy_(values.expand(-1, 1, 2, 2))
        model[1].weight.fill_(1.5)
        model[1].bias.fill_(0.7)
    return model


def test_removes_whole_filters_and_their_bn_channel():
    model = conv_bn()
    mask = Mask.ones(model, ["0.weight", "5.weight"])
    new = prune(SPEC, model, mask)  # floor(0.5 * 4 + .5) = 2 filters: L1 0.4 and 0.8
    assert new["0.weight"].flatten(1).all(1).tolist() == [T, F, T, F]
    assert new["0.weight"].flatten(1).any(1).tolist() == [T, F, T, F]  # whole filters
    assert new["5.weight"].all()  # linear untouched
    assert set(new.extra) == {"1.weight", "1.bias"}
    assert new.extra["1.weight"].tolist() == [T, F, T, F] == new.extra["1.bias"].tolist()
    assert new.num_remaining() == 16 and new.num_prunable() == 24

    new.apply(model)
    assert model[1].weight.tolist() == [1.5, 0.0, 1.5, 0.0]
    assert model[1].bias.tolist() == pytest.approx([0.7, 0.0, 0.7, 0.0])
    features = model[:2]
    for train in (True, False):
        features.train(train)
        out = features(torch.randn(3, 1, 5, 5))
        assert torch.count_nonzero(out[:, [1, 3]]) == 0 and torch.count_nonzero(out[:, 0]) > 0

    again = prune(SPEC, model, new)  # floor(0.5 * 2 + .5) = 1 more: filter 2 (L1 1.2)
    assert again["0.weight"].flatten(1).any(1).tolist() == [T, F, F, F]
    assert again.extra["1.bias"].tolist() == [T, F, F, F]
    assert again.is_subset_of(new)


def test_equal_l1_goes_by_filter_index():
    model = conv_bn()
    with torch.no_grad():
        model[0].weight.fill_(-0.25)
    new = prune(SPEC, model, Mask.ones(model, ["0.weight"]))
    assert new["0.weight"].flatten(1).any(1).tolist() == [F, F, T, T]


def test_conv_bias_is_masked_when_present():
    model = nn.Sequential(nn.Conv2d(1, 3, 1), nn.ReLU())
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([1.0, 0.1, 2.0]).view(3, 1, 1, 1))
    new = prune(PruningSpec(method="filter_l1", rate=0.2), model, Mask.ones(model, ["0.weight"]))
    assert new.extra == {"0.bias": new.extra["0.bias"]}
    assert new.extra["0.bias"].tolist() == [T, F, T]


def test_needs_a_prunable_conv():
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(UsageError, match="filter_l1"):
        prune(SPEC, model, Mask.ones(model, ["0.weight"]))


def test_resnet20_filters_and_batchnorm_channels():
    spec = ModelSpec(name="resnet20")
    torch.manual_seed(0)
    model = build_model(spec, (3, 32, 32), 10)
    mask = Mask.ones(model, prunable_names(model, spec))
    new = prune(PruningSpec(method="filter_l1", rate=0.2), model, mask)
    new.apply(model)
    pairs = following_batchnorm(model)
    assert len(pairs) == 21
    removed_weights = 0
    for name, bn in pairs.items():
        conv = model.get_submodule(name)
        alive = new[f"{name}.weight"].flatten(1).any(1)
        assert torch.equal(new[f"{name}.weight"].flatten(1).all(1), alive)  # whole filters
        expected = {16: 3, 32: 6, 64: 13}[conv.out_channels]  # floor(0.2 * n + .5)
        assert int((~alive).sum()) == expected
        assert conv.weight[~alive].abs().sum() == 0
        for p in ("weight", "bias"):
            assert torch.equal(new.extra[f"{bn}.{p}"], alive)
            assert model.get_parameter(f"{bn}.{p}")[~alive].abs().sum() == 0
        removed_weights += expected * conv.weight[0].numel()
    assert new["fc.weight"].all()
    assert new.num_prunable() == 272_474 - 1_568 - 10  # all but BN (2 x 784) and fc.bias
    assert removed_weights == 53_873
    assert new.num_remaining() == 270_896 - 53_873


def test_batchnorm_pairing_in_torchvision_models():
    with torch.device("meta"):
        vgg = torchvision.models.vgg19_bn(weights=None, num_classes=10)
        resnet = torchvision.models.resnet50(weights=None, num_classes=200)
    vgg_pairs = following_batchnorm(vgg)
    assert len(vgg_pairs) == 16 and vgg_pairs["features.0"] == "features.1"
    assert vgg_pairs["features.49"] == "features.50"
    res_pairs = following_batchnorm(resnet)
    assert len(res_pairs) == 53
    assert res_pairs["conv1"] == "bn1" and res_pairs["layer4.2.conv3"] == "layer4.2.bn3"
    assert res_pairs["layer1.0.downsample.0"] == "layer1.0.downsample.1"
