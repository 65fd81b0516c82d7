"""Fixtures for the data tests: tiny datasets written in the real on-disk formats."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from scyc_tune.data.load import load_pooled
from scyc_tune.errors import DatasetError

CIFAR_FILES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    """No test sees another's cached datasets or the caller's $SCYC_DATA_DIR."""
    monkeypatch.delenv("SCYC_DATA_DIR", raising=False)
    load_pooled.cache_clear()
    yield
    load_pooled.cache_clear()


@pytest.fixture
def one_line_error():
    """Check a DatasetError: one line of text that names ``path``; returns the text."""

    def check(excinfo: pytest.ExceptionInfo, path: Path | str) -> str:
        assert excinfo.type is DatasetError
        text = str(excinfo.value)
        assert "\n" not in text
        assert str(path) in text
        return text

    return check


def cifar_images(batch: int, count: int = 2) -> tuple[np.ndarray, list[int]]:
    """Distinct, exactly known pixels for batch ``batch`` (0..5): uint8 (count, 3072), labels."""
    base = np.arange(count * 3072, dtype=np.int64).reshape(count, 3072)
    data = ((base * 7 + batch * 31) % 256).astype(np.uint8)
    labels = [(batch * count + i) % 10 for i in range(count)]
    return data, labels


@pytest.fixture
def cifar_pool() -> tuple[torch.Tensor, torch.Tensor]:
    """What ``cifar_dir`` holds, pooled in file order: uint8 (12, 3, 32, 32) and labels."""
    batches = [cifar_images(i) for i in range(len(CIFAR_FILES))]
    x = np.concatenate([data for data, _ in batches]).reshape(-1, 3, 32, 32)
    return torch.from_numpy(x), torch.tensor([y for _, labels in batches for y in labels])


@pytest.fixture
def cifar_dir(tmp_path) -> Path:
    """``tmp_path/cifar-10-batches-py`` with six batches of two images, keyed by bytes."""
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for i, name in enumerate(CIFAR_FILES):
        data, labels = cifar_images(i)
        with open(folder / name, "wb") as f:
            pickle.dump({b"batch_label": name.encode(), b"labels": labels, b"data": data}, f)
    return tmp_path


def write_idx(path: Path, array: np.ndarray, *, gz: bool = False) -> None:
    """A uint8 IDX file (magic 0x0000080N, big-endian dims), gzip'd when ``gz``."""
    header = struct.pack(">I", 0x0800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        payload = gzip.compress(payload)
    path.write_bytes(payload)


def fashion_images(part: str) -> tuple[np.ndarray, np.ndarray]:
    """3 training or 2 test images (uint8 (n, 28, 28)) and their labels."""
    n, shift = (3, 0) if part == "train" else (2, 100)
    images = ((np.arange(n * 784).reshape(n, 28, 28) + shift) % 251).astype(np.uint8)
    return images, np.array([(shift + i * 3) % 10 for i in range(n)], dtype=np.uint8)


@pytest.fixture
def fashion_dir(tmp_path) -> Path:
    """``tmp_path/FashionMNIST/raw``: train files plain, t10k files gzip'd."""
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for part in ("train", "t10k"):
        images, labels = fashion_images(part)
        write_idx(raw / f"{part}-images-idx3-ubyte", images, gz=part == "t10k")
        write_idx(raw / f"{part}-labels-idx1-ubyte", labels, gz=part == "t10k")
    return tmp_path


TINY_WNIDS = ["n01443537", "n01629819", "n01641577"]
TINY_COLOURS = [(250, 0, 0), (0, 250, 0), (0, 0, 250)]  # class index -> solid colour


def write_jpeg(path: Path, colour: tuple[int, int, int], size: int = 64) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), colour).save(path, format="JPEG", quality=95)


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    """``tmp_path/tiny-imagenet-200``: 3 classes, 2 train images each, 3 val images.

    wnids.txt lists the classes in TINY_WNIDS order; every image of class k is TINY_COLOURS[k].
    val_0 is class 2, val_1 class 0, val_2 class 1 (one val image is grayscale)."""
    folder = tmp_path / "tiny-imagenet-200"
    folder.mkdir()
    (folder / "wnids.txt").write_text("\n".join(TINY_WNIDS) + "\n")
    for label, wnid in enumerate(TINY_WNIDS):
        for i in range(2):
            write_jpeg(folder / "train" / wnid / "images" / f"{wnid}_{i}.JPEG", TINY_COLOURS[label])
        (folder / "train" / wnid / f"{wnid}_boxes.txt").write_text("")
    lines = []
    for i, label in enumerate([2, 0, 1]):
        write_jpeg(folder / "val" / "images" / f"val_{i}.JPEG", TINY_COLOURS[label])
        lines.append(f"val_{i}.JPEG\t{TINY_WNIDS[label]}\t0\t0\t63\t63")
    Image.new("L", (64, 64), 128).save(folder / "val" / "images" / "val_2.JPEG", format="JPEG")
    (folder / "val" / "val_annotations.txt").write_text("\n".join(lines) + "\n")
    return tmp_path
