"""CIFAR-10 from python pickle batches: exact pixels, md5 at official sizes, one-line errors."""

import pickle

import numpy as np
import pytest
import torch

from scyc_tune.data import BatchTransform, load_splits
from scyc_tune.data import cifar10 as cifar_module
from scyc_tune.data.cifar10 import MEAN, STD, load_cifar10
from scyc_tune.data.split import split_indices
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

CIFAR_FILES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def test_pooled_pixels_and_labels_are_exact(cifar_dir, cifar_pool):
    pooled = load_cifar10(DataSpec(name="cifar10"), cifar_dir)
    x, y = cifar_pool
    assert pooled.x.dtype == torch.uint8 and pooled.x.shape == (12, 3, 32, 32)
    assert torch.equal(pooled.x, x) and torch.equal(pooled.y, y)
    assert pooled.x[0, 1, 0, 0].item() == (1024 * 7) % 256  # channel-major: red plane first
    assert (pooled.num_classes, pooled.input_shape) == (10, (3, 32, 32))


def test_splits_index_the_pool_and_use_crop_4_and_flip(cifar_dir, cifar_pool):
    splits = load_splits(DataSpec(name="cifar10", data_dir=str(cifar_dir)), seed=1)
    x, y = cifar_pool
    train, val, test = split_indices(12, seed=1)
    assert torch.equal(splits.train.x, x[train]) and torch.equal(splits.val.y, y[val])
    assert torch.equal(splits.test.x, x[test])
    assert splits.batch_transform == BatchTransform(MEAN, STD, crop_padding=4, flip=True)


def test_augment_false_turns_the_augmentation_off(cifar_dir):
    splits = load_splits(DataSpec(name="cifar10", data_dir=str(cifar_dir), augment=False), 1)
    assert splits.batch_transform == BatchTransform(MEAN, STD)


def test_str_keys_as_python2_files_read_with_latin1(cifar_dir, cifar_pool):
    path = cifar_dir / "cifar-10-batches-py" / "test_batch"
    data = cifar_pool[0][10:].flip(0).reshape(2, 3072).numpy()  # the two images swapped
    path.write_bytes(pickle.dumps({"data": data, "labels": [4, 9]}, protocol=2))
    pooled = load_cifar10(DataSpec(name="cifar10"), cifar_dir)
    assert torch.equal(pooled.x[10:], cifar_pool[0][10:].flip(0))
    assert pooled.y[10:].tolist() == [4, 9]


def test_data_dir_from_the_environment(cifar_dir, monkeypatch):
    monkeypatch.setenv("SCYC_DATA_DIR", str(cifar_dir))
    assert len(load_splits(DataSpec(name="cifar10"), seed=0).train) == 7


@pytest.mark.parametrize("name", CIFAR_FILES)
def test_missing_batch_names_the_folder_and_the_fix(cifar_dir, name, one_line_error):
    (cifar_dir / "cifar-10-batches-py" / name).unlink()
    with pytest.raises(DatasetError) as excinfo:
        load_cifar10(DataSpec(name="cifar10"), cifar_dir)
    text = one_line_error(excinfo, cifar_dir / "cifar-10-batches-py")
    assert text.startswith("CIFAR-10 not found: expected ")
    assert f"missing: {name})" in text and "data.download = true" in text


def test_missing_folder_without_download_never_downloads(tmp_path, monkeypatch, one_line_error):
    calls = []
    monkeypatch.setattr(cifar_module, "CIFAR10", lambda *a, **k: calls.append((a, k)))
    with pytest.raises(DatasetError) as excinfo:
        load_cifar10(DataSpec(name="cifar10"), tmp_path)
    assert "(missing: all);" in one_line_error(excinfo, tmp_path / "cifar-10-batches-py")
    assert calls == []


def test_download_true_asks_torchvision_once_then_reads(tmp_path, cifar_dir, monkeypatch):
    calls = []
    monkeypatch.setattr(cifar_module, "CIFAR10", lambda *a, **k: calls.append((a, k)))
    load_cifar10(DataSpec(name="cifar10", download=True), cifar_dir)
    assert calls == []  # files present: no download
    with pytest.raises(DatasetError):
        load_cifar10(DataSpec(name="cifar10", download=True), tmp_path / "empty")
    assert calls == [((str(tmp_path / "empty"),), {"train": True, "download": True})]


def test_failed_download_is_one_line(tmp_path, monkeypatch, one_line_error):
    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading\nurlopen error: no network")

    monkeypatch.setattr(cifar_module, "CIFAR10", offline)
    with pytest.raises(DatasetError) as excinfo:
        load_cifar10(DataSpec(name="cifar10", download=True), tmp_path)
    assert one_line_error(excinfo, tmp_path).endswith("failed: Error downloading")


@pytest.mark.parametrize(
    "content, why",
    [
        (b"\x80\x04\x95", "not a CIFAR batch pickle"),
        (pickle.dumps({b"labels": [1]}), "not a CIFAR batch pickle"),
        (pickle.dumps({b"data": np.zeros((1, 3071), np.uint8), b"labels": [1]}), "N, 3072"),
        (pickle.dumps({b"data": np.zeros((1, 3072), np.uint8), b"labels": [10]}), "labels in"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": [1]}), "labels in"),
    ],
)
def test_corrupt_batch_is_one_line_naming_the_file(cifar_dir, content, why, one_line_error):
    path = cifar_dir / "cifar-10-batches-py" / "data_batch_3"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as excinfo:
        load_cifar10(DataSpec(name="cifar10"), cifar_dir)
    assert why in one_line_error(excinfo, path)


def test_md5_is_checked_when_the_file_has_the_official_size(cifar_dir, one_line_error):
    path = cifar_dir / "cifar-10-batches-py" / "data_batch_2"
    with open(path, "r+b") as f:
        f.truncate(31035320)  # data_batch_2's official size, wrong bytes
    with pytest.raises(DatasetError) as excinfo:
        load_cifar10(DataSpec(name="cifar10"), cifar_dir)
    assert "md5 differs from the official file" in one_line_error(excinfo, path)
