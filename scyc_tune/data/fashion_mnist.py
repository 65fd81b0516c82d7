"""Fashion-MNIST from torchvision's on-disk layout: ``<data_dir>/FashionMNIST/raw/`` with the IDX
files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
``t10k-labels-idx1-ubyte`` (official train + test are pooled).

A file present only gzip'd (``<name>.gz``) is decompressed next to itself first, the step that
torchvision's own download performs. Files are parsed by torchvision's IDX readers; any failure
becomes a one-line DatasetError naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from torchvision.datasets import FashionMNIST
from torchvision.datasets.mnist import read_image_file, read_label_file
from torchvision.datasets.utils import extract_archive

from scyc_tune.data._messages import gist, how_to_get
from scyc_tune.data.base import Pooled
from scyc_tune.data.paths import data_dir
from scyc_tune.data.transform import BatchTransform
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

PARTS = ("train", "t10k")
MEAN, STD = (0.2860,), (0.3530,)  # training-set pixel statistics on the [0, 1] scale


def _files(part: str) -> tuple[str, str]:
    return f"{part}-images-idx3-ubyte", f"{part}-labels-idx1-ubyte"


def _ensure_plain(raw: Path, name: str) -> Path | None:
    """The plain IDX file, decompressing ``name.gz`` if only that exists; None if neither."""
    path = raw / name
    if not path.is_file() and (raw / f"{name}.gz").is_file():
        try:
            extract_archive(str(raw / f"{name}.gz"), str(raw))
        except Exception as exc:
            raise DatasetError(
                f"Fashion-MNIST file {raw / name}.gz is not a readable gzip file ({gist(exc)}); "
                "replace it or delete it and set data.download = true"
            ) from None
    return path if path.is_file() else None


def _read(path: Path, reader: Callable[[str], torch.Tensor]) -> torch.Tensor:
    try:
        return reader(str(path))
    except Exception as exc:
        why = "header or size check failed" if isinstance(exc, AssertionError) else gist(exc)
        raise DatasetError(
            f"Fashion-MNIST file {path} is not a valid IDX file ({why}); "
            "replace it or delete it and set data.download = true"
        ) from None


def _read_part(part: str, paths: dict[str, Path]) -> tuple[torch.Tensor, torch.Tensor]:
    images_name, labels_name = _files(part)
    images = _read(paths[images_name], read_image_file)
    labels = _read(paths[labels_name], read_label_file)
    if images.shape[1:] != (28, 28) or images.shape[0] != labels.shape[0]:
        raise DatasetError(
            f"Fashion-MNIST files disagree: {paths[images_name]} holds images of shape "
            f"{tuple(images.shape)}, {paths[labels_name]} holds {labels.shape[0]} labels "
            "(expected N x 28 x 28 images and N labels)"
        )
    if labels.numel() and not 0 <= int(labels.min()) <= int(labels.max()) < 10:
        raise DatasetError(f"Fashion-MNIST file {paths[labels_name]} has labels outside 0..9")
    return images, labels


def load_fashion_mnist(spec: DataSpec, root: Path | None = None) -> Pooled:
    """x uint8 (N, 1, 28, 28), 10 classes; downloads first only when ``spec.download``."""
    root = data_dir(spec) if root is None else root
    raw = root / "FashionMNIST" / "raw"
    names = [name for part in PARTS for name in _files(part)]
    found = {name: _ensure_plain(raw, name) for name in names}
    if spec.download and None in found.values():
        try:
            FashionMNIST(str(root), train=True, download=True)
        except Exception as exc:
            raise DatasetError(f"Fashion-MNIST download into {raw} failed: {gist(exc)}") from None
        found = {name: _ensure_plain(raw, name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        which = "all" if len(missing) == len(names) else ", ".join(missing)
        raise DatasetError(
            f"Fashion-MNIST not found: expected {raw}/{', '.join(names)} (or their .gz; "
            f"missing: {which}); {how_to_get('FashionMNIST/raw/')}"
        )
    parts = [_read_part(part, found) for part in PARTS]
    return Pooled(
        x=torch.cat([images for images, _ in parts]).unsqueeze(1),
        y=torch.cat([labels for _, labels in parts]),
        num_classes=10,
        input_shape=(1, 28, 28),
        batch_transform=BatchTransform(mean=MEAN, std=STD, crop_padding=2),
    )
