"""The 60 / 20 / 20 split: exact sizes, disjoint parts, seeded determinism, num_samples."""

import pytest
import torch

from scyc_tune.data.split import split_indices, split_sizes
from scyc_tune.errors import DatasetError


@pytest.mark.parametrize(
    "n, sizes",
    [
        (5, (3, 1, 1)),
        (7, (4, 1, 2)),
        (10, (6, 2, 2)),
        (1797, (1078, 359, 360)),
        (5000, (3000, 1000, 1000)),
        (70000, (42000, 14000, 14000)),
    ],
)
def test_split_sizes_floor_train_and_val_rest_test(n, sizes):
    assert split_sizes(n) == sizes


def test_parts_are_disjoint_and_cover_the_pool():
    train, val, test = split_indices(103, seed=0)
    assert (len(train), len(val), len(test)) == (61, 20, 22)
    assert sorted(torch.cat([train, val, test]).tolist()) == list(range(103))


def test_same_seed_same_split_other_seed_other_split():
    first, again, other = split_indices(50, 3), split_indices(50, 3), split_indices(50, 4)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not torch.equal(first[0], other[0])


def test_split_is_random_not_the_pooled_order():
    train, _, _ = split_indices(100, seed=0)
    assert train.tolist() != list(range(60))


def test_num_samples_keeps_the_first_of_the_seeded_permutation():
    perm = torch.randperm(40, generator=torch.Generator().manual_seed(9))
    train, val, test = split_indices(40, seed=9, num_samples=10)
    assert (len(train), len(val), len(test)) == (6, 2, 2)
    assert torch.equal(torch.cat([train, val, test]), perm[:10])


def test_num_samples_above_the_pool_is_an_error():
    with pytest.raises(DatasetError, match="num_samples = 11 exceeds the 10 examples of digits"):
        split_indices(10, seed=0, num_samples=11, name="digits")


def test_fewer_than_five_examples_is_an_error():
    with pytest.raises(DatasetError, match="has 4 examples to split"):
        split_indices(10, seed=0, num_samples=4)


def test_the_default_split_is_the_integer_rule_for_every_size():
    for n in range(5, 3000):
        assert split_sizes(n) == (6 * n // 10, 2 * n // 10, n - 6 * n // 10 - 2 * n // 10)


def test_a_configured_split():
    """Issue 14: the paper's Figure 1 trains the FC network on 80% of Fashion-MNIST."""
    assert split_sizes(70000, (0.8, 0.1)) == (56000, 7000, 7000)
    assert split_sizes(1797, (0.8, 0.1)) == (1437, 179, 181)
    train, val, test = split_indices(1797, 0, split=(0.8, 0.1))
    assert (len(train), len(val), len(test)) == (1437, 179, 181)
    # the same permutation: the default split's training set starts the same way
    assert torch.equal(train[:1078], split_indices(1797, 0)[0])


@pytest.mark.parametrize("split", [[0.8, 0.2], [0.0, 0.5], [0.9, 0.2], [0.5, -0.1]])
def test_a_split_without_a_test_set_is_refused_naming_the_key(split):
    from scyc_tune.errors import StudyError
    from tests.engine.conftest import make_study

    with pytest.raises((StudyError, ValueError), match="split"):
        make_study(data={"name": "digits", "split": split})


def test_the_split_is_not_in_the_run_id_at_its_default():
    from scyc_tune.engine import cycle_job
    from scyc_tune.runs.identity import run_id
    from tests.engine.conftest import make_study

    plain = make_study()
    same = make_study(data={"name": "digits", "split": [0.6, 0.2]})
    other = make_study(data={"name": "digits", "split": [0.8, 0.1]})
    ids = [run_id(cycle_job(s, 0), "0" * 64) for s in (plain, same, other)]
    assert ids[0] == ids[1] != ids[2]
