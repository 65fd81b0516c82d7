"""Datasets for the tuning runs: pooled, split 60 / 20 / 20 at random per seed, held in memory.

``load_splits(spec, seed)`` is the entry point; ``Splits.transform`` is the batch transform the
training loop applies on the batch's device. Real datasets are read from the data directory
(``data.data_dir``, else ``$SCYC_DATA_DIR``, else ``storage/data``) and downloaded only when
``data.download`` is true; MNIST-1D and digits need no files.
"""

from scyc_tune.data.base import Pooled, Split, Splits
from scyc_tune.data.load import load_splits
from scyc_tune.data.paths import data_dir
from scyc_tune.data.registry import DATASETS
from scyc_tune.data.split import split_sizes
from scyc_tune.data.transform import BatchTransform

__all__ = [
    "DATASETS",
    "BatchTransform",
    "Pooled",
    "Split",
    "Splits",
    "data_dir",
    "load_splits",
    "split_sizes",
]
