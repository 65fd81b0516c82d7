import math

import pytest
import torch
import torchvision
from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.models import MODELS, build_model
from scyc_tune.study.specs import ModelSpec


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def shapes(model: nn.Module) -> dict[str, tuple[int, ...]]:
    return {n: tuple(p.shape) for n, p in model.named_parameters()}


def test_registry_lists_every_spec_model():
    assert set(MODELS) == {"fc", "resnet20", "vgg19_bn", "resnet50"}


def test_fc_default_is_three_hidden_layers_of_256():
    model = build_model(ModelSpec(), (40,), 10)
    assert shapes(model) == {
        "fc1.weight": (256, 40), "fc1.bias": (256,),
        "fc2.weight": (256, 256), "fc2.bias": (256,),
        "fc3.weight": (256, 256), "fc3.bias": (256,),
        "out.weight": (10, 256), "out.bias": (10,),
    }  # fmt: skip
    assert n_params(model) == 40 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 10 + 10


def test_fc_flattens_images_and_puts_batchnorm_before_relu():
    model = build_model(ModelSpec(hidden=[7, 5], batchnorm=True), (1, 4, 4), 3)
    names = [n for n, _ in model.named_children()]
    assert names == ["flatten", "fc1", "bn1", "relu1", "fc2", "bn2", "relu2", "out"]
    assert model.fc1.in_features == 16
    assert isinstance(model.bn2, nn.BatchNorm1d) and model.bn2.num_features == 5
    assert model(torch.randn(2, 1, 4, 4)).shape == (2, 3)


def test_fc_rejects_non_positive_width():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="greater than 0"):
        ModelSpec(hidden=[8, 0])  # the study's schema refuses it first
    with pytest.raises(UsageError, match=r"\[8, 0\]"):
        build_model(ModelSpec.model_construct(hidden=[8, 0], name="fc"), (4,), 2)


def test_resnet20_has_openlth_parameter_count():
    model = build_model(ModelSpec(name="resnet20"), (3, 32, 32), 10)
    assert n_params(model) == 272_474
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)


def test_resnet20_structure():
    model = build_model(ModelSpec(name="resnet20"), (3, 32, 32), 10)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 1 + 18 + 2  # stem, 9 blocks x 2, two projection shortcuts
    assert [c.out_channels for c in convs if c.kernel_size == (1, 1)] == [32, 64]
    widths = [b.conv2.out_channels for b in model.blocks]
    assert widths == [16] * 3 + [32] * 3 + [64] * 3
    assert sum(isinstance(m, nn.BatchNorm2d) for m in model.modules()) == 21


def test_resnet20_takes_channels_from_input_and_small_images():
    model = build_model(ModelSpec(name="resnet20"), (1, 8, 8), 4)
    assert model.conv.in_channels == 1
    assert model(torch.randn(2, 1, 8, 8)).shape == (2, 4)
    assert model(torch.randn(2, 1, 13, 9)).shape == (2, 4)


@pytest.mark.parametrize(
    "name, shape", [("resnet20", (40,)), ("resnet20", (3, 7, 32)), ("vgg19_bn", (3, 16, 16))]
)
def test_image_models_reject_unusable_inputs(name, shape):
    with pytest.raises(UsageError, match=name):
        build_model(ModelSpec(name=name), shape, 10)


def test_unknown_model_name_lists_allowed():
    spec = ModelSpec.model_construct(name="lenet5")
    with pytest.raises(UsageError, match="'lenet5'.*fc, resnet20, resnet50, vgg19_bn"):
        build_model(spec, (3, 32, 32), 10)


def test_vgg19_bn_is_torchvisions_139m():
    model = build_model(ModelSpec(name="vgg19_bn"), (3, 32, 32), 10)
    with torch.device("meta"):
        reference = torchvision.models.vgg19_bn(weights=None, num_classes=10)
    assert n_params(model) == n_params(reference) == 139_622_218
    assert shapes(model) == shapes(reference)


def test_resnet50_is_torchvisions_23_9m():
    model = build_model(ModelSpec(name="resnet50"), (3, 64, 64), 200)
    with torch.device("meta"):
        reference = torchvision.models.resnet50(weights=None, num_classes=200)
    assert n_params(model) == n_params(reference) == 23_917_832
    assert shapes(model) == shapes(reference)
    assert model(torch.randn(1, 3, 64, 64)).shape == (1, 200)


def test_torchvision_models_adapt_first_conv_to_channels():
    with torch.device("meta"):
        vgg = build_model(ModelSpec(name="vgg19_bn"), (1, 32, 32), 10)
        resnet = build_model(ModelSpec(name="resnet50"), (1, 32, 32), 10)
    assert vgg.features[0].in_channels == 1 and vgg.features[0].out_channels == 64
    assert resnet.conv1.in_channels == 1 and resnet.conv1.kernel_size == (7, 7)
    assert resnet.conv1.stride == (2, 2) and resnet.conv1.bias is None


def test_build_is_deterministic_under_seed():
    def state(seed):
        torch.manual_seed(seed)
        return build_model(ModelSpec(name="resnet20"), (3, 32, 32), 10).state_dict()

    a, b, c = state(0), state(0), state(1)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["conv.weight"], c["conv.weight"])


def test_he_init_statistics():
    torch.manual_seed(0)
    model = build_model(ModelSpec(hidden=[4096], batchnorm=True), (1024,), 10)
    w = model.fc1.weight.detach()
    assert w.std().item() == pytest.approx(math.sqrt(2 / 1024), rel=0.01)
    assert abs(w.mean().item()) < 1e-3
    assert model.out.weight.std().item() == pytest.approx(math.sqrt(2 / 4096), rel=0.05)
    assert torch.count_nonzero(model.fc1.bias) == 0 and torch.count_nonzero(model.out.bias) == 0
    assert torch.all(model.bn1.weight == 1) and torch.all(model.bn1.bias == 0)


def test_he_init_on_convs_and_torchvision_linear():
    torch.manual_seed(0)
    model = build_model(ModelSpec(name="resnet20"), (3, 32, 32), 10)
    conv = model.blocks[8].conv2.weight.detach()  # 64 x 64 x 3 x 3, fan_in 576
    assert conv.std().item() == pytest.approx(math.sqrt(2 / 576), rel=0.03)
    assert torch.all(model.blocks[8].bn2.weight == 1)
    torch.manual_seed(0)
    resnet = build_model(ModelSpec(name="resnet50"), (3, 32, 32), 200)
    # torchvision would draw the classifier uniformly; He init replaces it
    assert resnet.fc.weight.std().item() == pytest.approx(math.sqrt(2 / 2048), rel=0.03)
    assert torch.count_nonzero(resnet.fc.bias) == 0


def test_a_narrow_vgg19_bn_is_whole_and_on_the_cpu():
    """width < 1: VGG's own 4096-wide classifier is never drawn (built on the meta device and
    replaced); nothing of it is left behind."""
    model = build_model(ModelSpec(name="vgg19_bn", width=0.25), (3, 32, 32), 10)
    tensors = [*model.parameters(), *model.buffers()]
    assert all(t.device.type == "cpu" for t in tensors)
    linears = [m for m in model.classifier if isinstance(m, torch.nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [
        (128 * 7 * 7, 1024), (1024, 1024), (1024, 10)
    ]  # fmt: skip
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)
