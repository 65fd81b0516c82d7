"""The batch transform: exact normalisation, seeded augmentation, no augmentation at eval."""

import pytest
import torch

from scyc_tune.data import BatchTransform
from scyc_tune.data.cifar10 import MEAN, STD

CIFAR = BatchTransform(mean=MEAN, std=STD, crop_padding=4, flip=True)


def images(n: int = 16, c: int = 3, size: int = 8) -> torch.Tensor:
    """uint8 images whose pixels all differ within an image (so every shift and flip shows)."""
    return (torch.arange(n * c * size * size) % 251).to(torch.uint8).reshape(n, c, size, size)


def test_normalisation_is_exact_on_known_pixels():
    x = torch.tensor([0, 51, 255], dtype=torch.uint8).view(1, 3, 1, 1).expand(1, 3, 1, 2)
    out = CIFAR(x, train=False)
    expected = [(0.0 - 0.4914) / 0.2470, (0.2 - 0.4822) / 0.2435, (1.0 - 0.4465) / 0.2616]
    assert out.dtype == torch.float32 and out.shape == (1, 3, 1, 2)
    for channel, value in enumerate(expected):
        torch.testing.assert_close(out[0, channel], torch.full((1, 2), value), rtol=0, atol=1e-6)


def test_uint8_becomes_unit_interval_without_normalisation():
    x = torch.tensor([[0, 255, 51]], dtype=torch.uint8)
    assert BatchTransform()(x, train=True).tolist() == [[0.0, 1.0, pytest.approx(0.2)]]


def test_float_input_passes_through_unscaled():
    x = torch.tensor([[-1.5, 2.0]])
    assert torch.equal(BatchTransform()(x, train=True), x)


def test_eval_never_augments_even_with_a_generator():
    x = images()
    plain = BatchTransform(mean=MEAN, std=STD)(x, train=False)
    out = CIFAR(x, train=False, generator=torch.Generator().manual_seed(0))
    assert torch.equal(out, plain)


def test_augmentation_is_deterministic_for_a_seeded_generator_and_changes_the_batch():
    x = images()
    first = CIFAR(x, train=True, generator=torch.Generator().manual_seed(5))
    torch.manual_seed(123)  # the global RNG must not matter
    again = CIFAR(x, train=True, generator=torch.Generator().manual_seed(5))
    other = CIFAR(x, train=True, generator=torch.Generator().manual_seed(6))
    assert first.shape == x.shape
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    assert not torch.equal(first, CIFAR(x, train=False))


def test_crop_takes_the_window_at_the_generators_offsets_with_zero_padding():
    x = images(n=6, c=2, size=5)
    out = BatchTransform(crop_padding=2)(x, train=True, generator=torch.Generator().manual_seed(1))
    offsets = torch.randint(0, 5, (2, 6), generator=torch.Generator().manual_seed(1))
    padded = torch.nn.functional.pad(x.float() / 255, (2, 2, 2, 2))
    for i in range(6):
        r, c = offsets[:, i].tolist()
        assert torch.equal(out[i], padded[i, :, r : r + 5, c : c + 5])
    assert offsets.ne(2).any()  # at least one image really moved


def test_flip_mirrors_about_half_the_images_and_keeps_the_rest():
    x = images(n=64)
    out = BatchTransform(flip=True)(x, train=True, generator=torch.Generator().manual_seed(0))
    base = x.float() / 255
    flipped = [torch.equal(out[i], base[i].flip(-1)) for i in range(64)]
    kept = [torch.equal(out[i], base[i]) for i in range(64)]
    assert all(f != k for f, k in zip(flipped, kept, strict=True))
    assert 16 < sum(flipped) < 48


def test_padding_is_black_before_normalisation():
    x = torch.full((8, 3, 4, 4), 255, dtype=torch.uint8)
    out = CIFAR(x, train=True, generator=torch.Generator().manual_seed(0))
    red = out[:, 0]
    black, white = (0 - 0.4914) / 0.2470, (1 - 0.4914) / 0.2470
    torch.testing.assert_close(torch.unique(red), torch.tensor([black, white]))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_same_result_on_the_gpu_for_the_same_generator_seed():
    x = images()
    cpu = CIFAR(x, train=True, generator=torch.Generator().manual_seed(3))
    gpu = CIFAR(x.cuda(), train=True, generator=torch.Generator().manual_seed(3))
    assert gpu.device.type == "cuda"
    torch.testing.assert_close(gpu.cpu(), cpu, rtol=0, atol=1e-6)


def test_mean_and_std_must_come_together():
    with pytest.raises(ValueError, match="both"):
        BatchTransform(mean=(0.5,))
