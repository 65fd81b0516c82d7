"""scikit-learn digits: all 1797 images, scaled to [0, 1], normalised by the stored constants."""

import torch
from sklearn.datasets import load_digits

from scyc_tune.data import load_splits
from scyc_tune.data.split import split_indices
from scyc_tune.study.specs import DataSpec


def test_shapes_and_exact_pixels_of_the_split():
    splits = load_splits(DataSpec(name="digits"), seed=2)
    assert (splits.num_classes, splits.input_shape) == (10, (1, 8, 8))
    assert (len(splits.train), len(splits.val), len(splits.test)) == (1078, 359, 360)
    assert splits.train.x.dtype == torch.float32 and splits.train.x.shape == (1078, 1, 8, 8)
    bunch = load_digits()
    train, _, test = split_indices(1797, seed=2)
    expected = torch.from_numpy(bunch.data[train.numpy()] / 16).float().reshape(-1, 1, 8, 8)
    assert torch.equal(splits.train.x, expected)
    assert splits.test.y.tolist() == bunch.target[test.numpy()].tolist()


def test_normalised_pixels_have_mean_zero_and_std_one():
    splits = load_splits(DataSpec(name="digits"), seed=0)
    x = torch.cat([splits.train.x, splits.val.x, splits.test.x])
    out = splits.transform(x, train=True, generator=torch.Generator().manual_seed(0))
    assert abs(out.mean().item()) < 1e-3 and abs(out.std().item() - 1) < 1e-3
    assert torch.equal(out, splits.transform(x, train=False))  # digits are never augmented
