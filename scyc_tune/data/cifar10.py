"""CIFAR-10 from torchvision's on-disk layout: ``<data_dir>/cifar-10-batches-py/`` with the
python pickles ``data_batch_1`` .. ``data_batch_5`` and ``test_batch`` (official train + test
are pooled; ``batches.meta`` is not needed).

Each pickle is a dict with ``data`` (uint8, N x 3072, channel-major 3 x 32 x 32) and ``labels``;
keys may be ``bytes`` (how Python 3 writes them) or ``str`` (how the official Python 2 files read
with ``encoding="latin1"``, as torchvision does). Integrity: a file must exist and unpickle to
that shape; its md5 is compared with torchvision's ``CIFAR10`` checksum only when the file has
the official size (so tiny test files load, and a full-size file with flipped bytes does not).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import torch
from torchvision.datasets import CIFAR10
from torchvision.datasets.utils import check_integrity

from scyc_tune.data._messages import gist, how_to_get
from scyc_tune.data.base import Pooled
from scyc_tune.data.paths import data_dir
from scyc_tune.data.transform import BatchTransform
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

FOLDER = CIFAR10.base_folder
MD5 = dict(CIFAR10.train_list + CIFAR10.test_list)  # file name -> md5 of the official file
OFFICIAL_SIZES = {
    "data_batch_1": 31035704,
    "data_batch_2": 31035320,
    "data_batch_3": 31035999,
    "data_batch_4": 31035696,
    "data_batch_5": 31035623,
    "test_batch": 31035526,
}
MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def _corrupt(path: Path, why: str) -> DatasetError:
    return DatasetError(
        f"CIFAR-10 file {path} is corrupt ({why}); replace it, or delete {path.parent} "
        "and set data.download = true"
    )


def read_batch(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """(images uint8 (N, 3, 32, 32), labels int64 (N,)) of one batch file."""
    if path.stat().st_size == OFFICIAL_SIZES[path.name] and not check_integrity(
        str(path), MD5[path.name]
    ):
        raise _corrupt(path, "md5 differs from the official file")
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
        entry = {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in entry.items()}
        data = np.asarray(entry["data"])
        labels = np.asarray(entry["labels"], dtype=np.int64)
    except Exception as exc:
        raise _corrupt(path, f"not a CIFAR batch pickle: {gist(exc)}") from None
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise _corrupt(path, f"data is {data.dtype} {data.shape}, expected uint8 (N, 3072)")
    if labels.shape != (data.shape[0],) or (
        labels.size and not 0 <= labels.min() <= labels.max() < 10
    ):
        raise _corrupt(path, f"expected {data.shape[0]} labels in 0..9")
    return torch.from_numpy(data.reshape(-1, 3, 32, 32).copy()), torch.from_numpy(labels)


def load_cifar10(spec: DataSpec, root: Path | None = None) -> Pooled:
    """x uint8 (N, 3, 32, 32), 10 classes; downloads first only when ``spec.download``."""
    root = data_dir(spec) if root is None else root
    folder = root / FOLDER
    paths = [folder / name for name in OFFICIAL_SIZES]
    if spec.download and not all(p.is_file() for p in paths):
        try:
            CIFAR10(str(root), train=True, download=True)
        except Exception as exc:
            raise DatasetError(f"CIFAR-10 download into {root} failed: {gist(exc)}") from None
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        which = "all" if len(missing) == len(paths) else ", ".join(missing)
        raise DatasetError(
            f"CIFAR-10 not found: expected {folder}/data_batch_1 .. data_batch_5, test_batch "
            f"(missing: {which}); {how_to_get(FOLDER + '/')}"
        )
    batches = [read_batch(p) for p in paths]
    return Pooled(
        x=torch.cat([images for images, _ in batches]),
        y=torch.cat([labels for _, labels in batches]),
        num_classes=10,
        input_shape=(3, 32, 32),
        batch_transform=BatchTransform(mean=MEAN, std=STD, crop_padding=4, flip=True),
    )
