"""The same masks on CUDA as on the CPU (skipped without a GPU)."""

import pytest
import torch

from scyc_tune.models import build_model, prunable_names
from scyc_tune.pruning import Mask, attach_mask, prune
from scyc_tune.study.specs import ModelSpec, PruningSpec

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


@pytest.mark.parametrize("method", ["global_magnitude", "layer_random", "filter_l1"])
def test_cuda_masks_equal_cpu_masks(method):
    spec = ModelSpec(name="resnet20")
    torch.manual_seed(0)
    model = build_model(spec, (3, 16, 16), 10)
    mask = Mask.ones(model, prunable_names(model, spec))
    pruning = PruningSpec(method=method, rate=0.2)
    on_cpu = prune(pruning, model, mask, seed=4)
    on_gpu = prune(pruning, model.cuda(), mask, seed=4)  # CPU mask, CUDA model
    assert next(iter(on_gpu.masks.values())).is_cuda
    assert on_gpu == on_cpu

    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    attach_mask(opt, model, on_gpu)
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(4, 3, 16, 16, device="cuda")).sum().backward()
        opt.step()
    for name, m in on_gpu.masks.items():
        assert torch.count_nonzero(model.get_parameter(name)[~m]) == 0
