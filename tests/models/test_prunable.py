import pytest
from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.models import build_model, prunable_names
from scyc_tune.study.specs import ModelSpec


def test_default_fc_names_exclude_biases_and_batchnorm():
    spec = ModelSpec(hidden=[6, 5], batchnorm=True)
    model = build_model(spec, (4,), 3)
    assert prunable_names(model, spec) == ["fc1.weight", "fc2.weight", "out.weight"]


def test_default_resnet20_names_are_conv_and_linear_weights_in_parameter_order():
    spec = ModelSpec(name="resnet20")
    model = build_model(spec, (3, 32, 32), 10)
    names = prunable_names(model, spec)
    assert len(names) == 22
    assert names[0] == "conv.weight" and names[-1] == "fc.weight"
    assert "blocks.3.shortcut.0.weight" in names and "blocks.6.shortcut.0.weight" in names
    assert not any("bn" in n or "bias" in n or "shortcut.1" in n for n in names)
    order = [n for n, _ in model.named_parameters()]
    assert names == sorted(names, key=order.index)


def test_default_includes_conv1d():
    model = nn.Sequential(nn.Conv1d(2, 3, 3), nn.BatchNorm1d(3), nn.Flatten(), nn.Linear(3, 2))
    assert prunable_names(model, ModelSpec()) == ["0.weight", "3.weight"]


def test_patterns_override_default():
    model = build_model(ModelSpec(batchnorm=True), (4,), 3)
    spec = ModelSpec(batchnorm=True, prunable=["fc*.weight", "out.bias"])
    assert prunable_names(model, spec) == ["fc1.weight", "fc2.weight", "fc3.weight", "out.bias"]
    bn = ModelSpec(batchnorm=True, prunable=["bn2.*"])
    assert prunable_names(model, bn) == ["bn2.weight", "bn2.bias"]


def test_pattern_matching_nothing_is_named_with_examples():
    spec = ModelSpec(prunable=["fc1.weight", "conv*.weight"])
    model = build_model(spec, (4,), 3)
    with pytest.raises(UsageError, match=r"'conv\*\.weight'.*fc1\.weight, fc1\.bias"):
        prunable_names(model, spec)


def test_empty_pattern_list_is_an_error():
    spec = ModelSpec(prunable=[])
    with pytest.raises(UsageError, match="empty"):
        prunable_names(build_model(spec, (4,), 3), spec)
