"""Fashion-MNIST from IDX files (plain or gzip'd): exact pixels, crop 2, one-line errors."""

import pytest
import torch

from scyc_tune.data import BatchTransform, load_splits
from scyc_tune.data import fashion_mnist as fashion_module
from scyc_tune.data.fashion_mnist import MEAN, STD, load_fashion_mnist
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


def expected() -> tuple[torch.Tensor, torch.Tensor]:
    train = (torch.arange(3 * 784).reshape(3, 1, 28, 28) % 251).to(torch.uint8)
    test = ((torch.arange(2 * 784).reshape(2, 1, 28, 28) + 100) % 251).to(torch.uint8)
    return torch.cat([train, test]), torch.tensor([0, 3, 6, 0, 3])


def test_train_then_test_pooled_with_exact_pixels_and_labels(fashion_dir):
    pooled = load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    x, y = expected()
    assert pooled.x.dtype == torch.uint8 and pooled.x.shape == (5, 1, 28, 28)
    assert torch.equal(pooled.x, x) and torch.equal(pooled.y, y)
    assert (pooled.num_classes, pooled.input_shape) == (10, (1, 28, 28))


def test_gzip_only_files_are_decompressed_next_to_themselves(fashion_dir):
    raw = fashion_dir / "FashionMNIST" / "raw"
    assert not (raw / "t10k-images-idx3-ubyte").exists()
    load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    assert (raw / "t10k-images-idx3-ubyte").is_file()


def test_splits_use_crop_2_without_flip(fashion_dir):
    spec = DataSpec(name="fashion_mnist", data_dir=str(fashion_dir))
    splits = load_splits(spec, seed=0)
    assert (len(splits.train), len(splits.val), len(splits.test)) == (3, 1, 1)
    assert splits.batch_transform == BatchTransform(MEAN, STD, crop_padding=2)


@pytest.mark.parametrize("name", FILES)
def test_missing_file_is_one_line_naming_the_folder(fashion_dir, name, one_line_error):
    raw = fashion_dir / "FashionMNIST" / "raw"
    for path in (raw / name, raw / f"{name}.gz"):
        path.unlink(missing_ok=True)
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    text = one_line_error(excinfo, raw)
    assert text.startswith("Fashion-MNIST not found") and f"missing: {name})" in text


def test_download_only_when_asked(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(fashion_module, "FashionMNIST", lambda *a, **k: calls.append((a, k)))
    for download in (False, True):
        with pytest.raises(DatasetError, match="not found"):
            load_fashion_mnist(DataSpec(name="fashion_mnist", download=download), tmp_path)
    assert calls == [((str(tmp_path),), {"train": True, "download": True})]


@pytest.mark.parametrize(
    "content, why",
    [
        (b"\x00\x00\x08\x07" + bytes(16), "(header or size check failed)"),  # 7 dims
        (b"\x00\x00\x08", "not a valid IDX file"),  # truncated header
        (b"\x00\x00\x08\x03" + (3).to_bytes(4, "big") + bytes(8) + bytes(5), "not a valid IDX"),
    ],
)
def test_bad_idx_file_is_one_line_naming_it(fashion_dir, content, why, one_line_error):
    path = fashion_dir / "FashionMNIST" / "raw" / "train-images-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    assert why in one_line_error(excinfo, path)


def test_bad_gzip_is_one_line_naming_it(fashion_dir, one_line_error):
    path = fashion_dir / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    assert "not a readable gzip file" in one_line_error(excinfo, path)


def test_label_count_must_match_image_count(fashion_dir, one_line_error):
    raw = fashion_dir / "FashionMNIST" / "raw"
    labels = raw / "train-labels-idx1-ubyte"
    labels.write_bytes(b"\x00\x00\x08\x01" + (2).to_bytes(4, "big") + bytes([1, 2]))
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(DataSpec(name="fashion_mnist"), fashion_dir)
    assert "holds 2 labels" in one_line_error(excinfo, labels)
