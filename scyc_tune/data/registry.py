"""All datasets by name (the names of ``DataSpec.name``); adding one is a new file plus one line.

A loader takes the data spec and the data directory (None: resolve it from the spec; the
embedded datasets ignore it) and returns the whole pooled dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scyc_tune.data.base import Pooled
from scyc_tune.data.cifar10 import load_cifar10
from scyc_tune.data.digits import load_digits
from scyc_tune.data.fashion_mnist import load_fashion_mnist
from scyc_tune.data.mnist1d import load_mnist1d
from scyc_tune.data.tiny_imagenet import load_tiny_imagenet
from scyc_tune.study.specs import DataSpec

DATASETS: dict[str, Callable[[DataSpec, Path | None], Pooled]] = {
    "mnist1d": load_mnist1d,
    "digits": load_digits,
    "fashion_mnist": load_fashion_mnist,
    "cifar10": load_cifar10,
    "tiny_imagenet": load_tiny_imagenet,
}
