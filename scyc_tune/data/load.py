"""``load_splits``: a dataset's seeded 60 / 20 / 20 split, with the pooled data cached in-process.

One worker process runs many trials, so the pooled dataset (generating MNIST-1D, decoding
Tiny-ImageNet) is loaded once per (dataset, data directory, mnist1d_samples) and kept in an
``lru_cache`` of the two most recent; a Ray worker is handed the driver's copy instead
(``prime``). The splits are fresh copies, never views of the cache.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from scyc_tune.data.base import Pooled, Split, Splits
from scyc_tune.data.paths import data_dir
from scyc_tune.data.registry import DATASETS
from scyc_tune.data.split import split_indices
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import PAPER_SPLIT, DataSpec


@functools.lru_cache(maxsize=2)
def load_pooled(spec: DataSpec, root: Path) -> Pooled:
    """The pooled dataset; the cache key is the spec with the split-only fields normalised."""
    if spec.name not in DATASETS:
        raise DatasetError(f"unknown dataset {spec.name!r}; known: {', '.join(DATASETS)}")
    return DATASETS[spec.name](spec, root)


_primed: dict[DataSpec, Pooled] = {}


def _key(spec: DataSpec) -> DataSpec:
    """The spec with the split-only fields normalised: what names the pooled dataset."""
    return spec.model_copy(
        update={"num_samples": None, "augment": True, "data_dir": None, "split": PAPER_SPLIT}
    )


def _pooled(spec: DataSpec) -> Pooled:
    primed = _primed.get(_key(spec))
    if primed is not None:
        return primed
    return load_pooled(_key(spec), data_dir(spec))


def pooled_dataset(spec: DataSpec) -> Pooled:
    """The pooled dataset of ``spec`` (loaded once per process), to hand to other processes."""
    return _pooled(spec)


def prime(spec: DataSpec, pooled: Pooled) -> None:
    """Use ``pooled`` as ``spec``'s dataset in this process: a Ray worker receives the
    driver's copy through the object store instead of generating or decoding it again (MNIST-1D
    takes 4.6 s to generate, in every new worker process, every cycle)."""
    _primed[_key(spec)] = pooled


def load_splits(spec: DataSpec, seed: int) -> Splits:
    """The train / validation / test splits of ``spec``'s dataset for ``seed`` (see ``split``).

    Same spec and seed give identical tensors; another seed gives another split. Raises
    DatasetError (one line) when the dataset is missing, corrupt or too small."""
    pooled = _pooled(spec)
    parts = split_indices(len(pooled), seed, spec.num_samples, name=spec.name, split=spec.split)
    train, val, test = (Split(pooled.x[i], pooled.y[i]) for i in parts)
    transform = pooled.batch_transform
    if not spec.augment:
        transform = dataclasses.replace(transform, crop_padding=0, flip=False)
    return Splits(
        name=spec.name,
        train=train,
        val=val,
        test=test,
        num_classes=pooled.num_classes,
        input_shape=pooled.input_shape,
        batch_transform=transform,
    )
