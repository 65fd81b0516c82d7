"""load_splits: seeded determinism, union = pool, num_samples, in-process cache, registry."""

import pytest
import torch

from scyc_tune.data import DATASETS, BatchTransform, Pooled, Split, Splits, load_splits
from scyc_tune.study.specs import DataSpec


@pytest.fixture
def counted(monkeypatch):
    """Replace the digits loader by one over 20 examples x[i] = i that counts its calls."""
    calls = []

    def loader(spec, root):
        calls.append((spec, root))
        x = torch.arange(20, dtype=torch.float32).view(20, 1)
        return Pooled(x, torch.arange(20) % 4, 4, (1,), BatchTransform(crop_padding=1, flip=True))

    monkeypatch.setitem(DATASETS, "digits", loader)
    return calls


def rows(split: Split) -> list[int]:
    return split.x.view(-1).long().tolist()


def test_registry_names_match_the_spec():
    names = DataSpec.model_fields["name"].annotation.__args__
    assert sorted(DATASETS) == sorted(names)


def test_union_of_the_splits_is_the_pool_and_labels_follow_x(counted):
    splits = load_splits(DataSpec(name="digits"), seed=0)
    assert isinstance(splits, Splits)
    assert (splits.num_classes, splits.input_shape) == (4, (1,))
    assert (len(splits.train), len(splits.val), len(splits.test)) == (12, 4, 4)
    assert sorted(rows(splits.train) + rows(splits.val) + rows(splits.test)) == list(range(20))
    assert torch.equal(splits.train.y, torch.tensor(rows(splits.train)) % 4)


def test_same_seed_identical_tensors_other_seed_other_split(counted):
    a, b = load_splits(DataSpec(name="digits"), 3), load_splits(DataSpec(name="digits"), 3)
    c = load_splits(DataSpec(name="digits"), 4)
    for name in ("train", "val", "test"):
        assert torch.equal(getattr(a, name).x, getattr(b, name).x)
        assert torch.equal(getattr(a, name).y, getattr(b, name).y)
    assert rows(a.train) != rows(c.train)


def test_pool_is_loaded_once_per_process_across_seeds_and_split_options(counted):
    for seed in range(3):
        load_splits(DataSpec(name="digits"), seed)
    load_splits(DataSpec(name="digits", num_samples=10, augment=False), 0)
    assert len(counted) == 1
    load_splits(DataSpec(name="digits", mnist1d_samples=10), 0)  # another pool key
    assert len(counted) == 2


def test_failed_loads_are_not_cached(monkeypatch):
    outcomes = [RuntimeError("first"), None]

    def flaky(spec, root):
        if outcome := outcomes.pop(0):
            raise outcome
        return Pooled(
            torch.zeros(5, 1), torch.zeros(5, dtype=torch.long), 2, (1,), BatchTransform()
        )

    monkeypatch.setitem(DATASETS, "digits", flaky)
    with pytest.raises(RuntimeError, match="first"):
        load_splits(DataSpec(name="digits"), 0)
    assert len(load_splits(DataSpec(name="digits"), 0).train) == 3


def test_splits_are_copies_not_views_of_the_cache(counted):
    first = load_splits(DataSpec(name="digits"), 0)
    first.train.x.fill_(-1)
    again = load_splits(DataSpec(name="digits"), 0)
    assert sorted(rows(again.train) + rows(again.val) + rows(again.test)) == list(range(20))


def test_num_samples_keeps_a_seeded_subset(counted):
    small = load_splits(DataSpec(name="digits", num_samples=10), seed=1)
    again = load_splits(DataSpec(name="digits", num_samples=10), seed=1)
    assert (len(small.train), len(small.val), len(small.test)) == (6, 2, 2)
    kept = rows(small.train) + rows(small.val) + rows(small.test)
    assert len(set(kept)) == 10 and kept != list(range(10))
    assert kept == rows(again.train) + rows(again.val) + rows(again.test)


def test_augment_flag_controls_only_the_augmentation(counted):
    on = load_splits(DataSpec(name="digits"), 0).batch_transform
    off = load_splits(DataSpec(name="digits", augment=False), 0).batch_transform
    assert on == BatchTransform(crop_padding=1, flip=True) and off == BatchTransform()


def test_loader_gets_the_resolved_data_dir(counted, monkeypatch, tmp_path):
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path))
    load_splits(DataSpec(name="digits", num_samples=6), 0)
    spec, root = counted[0]
    assert root == tmp_path and spec.num_samples is None


def test_the_studys_example_counts_are_the_loaders():
    """The schema refuses a split too small for its batch from DataSpec.examples(), without
    loading: its counts must be what the embedded loaders build."""
    from scyc_tune.data.load import load_pooled

    for spec in (DataSpec(name="digits"), DataSpec(name="mnist1d", mnist1d_samples=123)):
        assert len(load_pooled(spec, None)) == spec.examples()
    assert DataSpec(name="digits", num_samples=100).examples() == 100
    assert DataSpec(name="digits", num_samples=5000).examples() == 1797
