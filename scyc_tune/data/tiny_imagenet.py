"""Tiny-ImageNet from its standard layout ``<data_dir>/tiny-imagenet-200/``: ``wnids.txt`` (one
wnid per line; class index = line position), ``train/<wnid>/images/*.JPEG`` and
``val/images/<file>`` labelled by ``val/val_annotations.txt`` (tab-separated: file, wnid, box).

Train + val are pooled (the official test set has no labels). Images are read with PIL, converted
to RGB and must be 64 x 64; they are decoded by a few threads, in a fixed order (classes in
wnids.txt order, files sorted by name within a class; then val in annotation order).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from scyc_tune.data._messages import gist, how_to_get
from scyc_tune.data.base import Pooled
from scyc_tune.data.paths import data_dir
from scyc_tune.data.transform import BatchTransform
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

FOLDER = "tiny-imagenet-200"
URL = "http://cs231n.stanford.edu/tiny-imagenet-200.zip"
SIZE = 64
MEAN, STD = (0.4802, 0.4481, 0.3975), (0.2770, 0.2691, 0.2821)


def _fix(path: Path) -> str:
    return f"replace it, or delete {path.parent} and set data.download = true"


def read_image(path: Path) -> np.ndarray:
    """One image as uint8 (3, 64, 64)."""
    try:
        with Image.open(path) as img:
            array = np.asarray(img.convert("RGB"))
    except Exception as exc:
        raise DatasetError(
            f"Tiny-ImageNet image {path} is unreadable ({gist(exc)}); {_fix(path)}"
        ) from None
    if array.shape != (SIZE, SIZE, 3):
        raise DatasetError(
            f"Tiny-ImageNet image {path} is {array.shape[1]} x {array.shape[0]}, expected "
            f"{SIZE} x {SIZE}; {_fix(path)}"
        )
    return array.transpose(2, 0, 1)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"Tiny-ImageNet file {path} is unreadable ({gist(exc)})") from None


def read_wnids(folder: Path) -> list[str]:
    path = folder / "wnids.txt"
    wnids = [line.strip() for line in _lines(path) if line.strip()]
    if not wnids or len(set(wnids)) != len(wnids):
        raise DatasetError(f"Tiny-ImageNet file {path} must list distinct wnids, one a line")
    return wnids


def train_files(folder: Path, wnids: list[str]) -> list[tuple[Path, int]]:
    files = []
    for label, wnid in enumerate(wnids):
        images = folder / "train" / wnid / "images"
        if not images.is_dir():
            raise DatasetError(
                f"Tiny-ImageNet class folder {images} is missing (its wnid {wnid} is listed in "
                f"{folder / 'wnids.txt'}); {how_to_get(FOLDER + '/')}"
            )
        files += [(p, label) for p in sorted(images.glob("*.JPEG"))]
    return files


def val_files(folder: Path, wnids: list[str]) -> list[tuple[Path, int]]:
    index = {wnid: i for i, wnid in enumerate(wnids)}
    annotations = folder / "val" / "val_annotations.txt"
    files = []
    for number, line in enumerate(_lines(annotations), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2 or fields[1] not in index:
            raise DatasetError(
                f"Tiny-ImageNet file {annotations} line {number}: expected 'file<TAB>wnid<TAB>"
                f"box' with a wnid from wnids.txt, got {line.strip()[:80]!r}"
            )
        files.append((folder / "val" / "images" / fields[0], index[fields[1]]))
    return files


def _download(root: Path) -> None:
    from torchvision.datasets.utils import download_and_extract_archive

    try:
        download_and_extract_archive(URL, str(root))
    except Exception as exc:
        raise DatasetError(f"Tiny-ImageNet download into {root} failed: {gist(exc)}") from None


def load_tiny_imagenet(spec: DataSpec, root: Path | None = None) -> Pooled:
    """x uint8 (N, 3, 64, 64), one class per line of wnids.txt (200 for the real set)."""
    root = data_dir(spec) if root is None else root
    folder = root / FOLDER
    needed = [folder / "wnids.txt", folder / "val" / "val_annotations.txt"]
    if spec.download and not all(p.is_file() for p in needed):
        _download(root)
    missing = [str(p.relative_to(folder)) for p in needed if not p.is_file()]
    if missing:
        raise DatasetError(
            f"Tiny-ImageNet not found: expected {folder}/wnids.txt, train/<wnid>/images/, "
            f"val/images/ and val/val_annotations.txt (missing: {', '.join(missing)}); "
            f"{how_to_get(FOLDER + '/')}"
        )
    wnids = read_wnids(folder)
    files = train_files(folder, wnids) + val_files(folder, wnids)
    x = np.empty((len(files), 3, SIZE, SIZE), dtype=np.uint8)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        try:
            for i, image in enumerate(pool.map(read_image, [path for path, _ in files])):
                x[i] = image
        except DatasetError:
            pool.shutdown(cancel_futures=True)  # report the first bad file without decoding on
            raise
    return Pooled(
        x=torch.from_numpy(x),
        y=torch.tensor([label for _, label in files], dtype=torch.int64),
        num_classes=len(wnids),
        input_shape=(3, SIZE, SIZE),
        batch_transform=BatchTransform(mean=MEAN, std=STD, crop_padding=4, flip=True),
    )
