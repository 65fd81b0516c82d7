"""MNIST-1D: generated with seed 42, pooled, global RNG states left as found."""

import random

import numpy as np
import torch

from scyc_tune.data import BatchTransform, load_splits
from scyc_tune.data.load import load_pooled
from scyc_tune.data.mnist1d import generate
from scyc_tune.study.specs import DataSpec

SPEC = DataSpec(name="mnist1d", mnist1d_samples=100)


def test_shapes_classes_and_split_sizes():
    splits = load_splits(SPEC, seed=0)
    assert (splits.name, splits.num_classes, splits.input_shape) == ("mnist1d", 10, (40,))
    assert (len(splits.train), len(splits.val), len(splits.test)) == (60, 20, 20)
    assert splits.train.x.shape == (60, 40) and splits.train.x.dtype == torch.float32
    assert splits.train.y.dtype == torch.int64
    labels = torch.cat([splits.train.y, splits.val.y, splits.test.y])
    assert torch.bincount(labels).tolist() == [10] * 10


def test_no_normalisation_and_no_augmentation():
    splits = load_splits(SPEC, seed=0)
    assert splits.batch_transform == BatchTransform()
    assert torch.equal(splits.transform(splits.train.x, train=True), splits.train.x)


def test_global_numpy_and_python_rng_states_are_unchanged():
    np.random.seed(7)
    random.seed(7)
    numpy_before, python_before = np.random.get_state(), random.getstate()
    load_splits(SPEC, seed=0)
    numpy_after = np.random.get_state()
    assert numpy_after[0] == numpy_before[0] and numpy_after[2:] == numpy_before[2:]
    assert np.array_equal(numpy_after[1], numpy_before[1])
    assert random.getstate() == python_before


def test_the_dataset_is_the_same_whatever_the_global_seed():
    np.random.seed(1)
    x1, y1 = generate(50)
    np.random.seed(2)
    x2, y2 = generate(50)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


def test_pooled_set_is_train_then_test_of_make_dataset():
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples = 100
    reference = make_dataset(args)
    pooled = load_pooled(SPEC, None)
    assert torch.equal(pooled.x[:80], torch.from_numpy(reference["x"]).float())
    assert torch.equal(pooled.y[80:], torch.from_numpy(reference["y_test"]).long())
