import pytest
import torch

from scyc_tune.pruning import num_to_prune, prune_global, prune_lowest, prune_per_layer

T, F = True, False


@pytest.mark.parametrize(
    "alive, rate, k",
    [(100, 0.2, 20), (80, 0.2, 16), (18, 0.2, 4), (12, 0.2, 2), (6, 0.2, 1),
     (5, 0.3, 2), (2, 0.25, 1), (1, 0.2, 0), (0, 0.2, 0), (7, 1.0, 7)],
)  # fmt: skip
def test_num_to_prune_rounds_half_up(alive, rate, k):
    assert num_to_prune(alive, rate) == k


def test_num_to_prune_rejects_bad_rate():
    with pytest.raises(ValueError, match="1.5"):
        num_to_prune(10, 1.5)


def test_prune_lowest_removes_the_k_smallest():
    scores = {"a": torch.tensor([[0.5, 0.1, 0.9], [0.3, 0.7, 0.2]]), "b": torch.tensor([0.6, 0.05])}
    masks = {"a": torch.ones(2, 3, dtype=torch.bool), "b": torch.ones(2, dtype=torch.bool)}
    new = prune_lowest(scores, masks, 3)
    assert new["a"].tolist() == [[T, F, T], [T, T, F]]
    assert new["b"].tolist() == [T, F]
    assert all(m.all() for m in masks.values())  # inputs untouched


def test_tie_break_parameter_order_then_flat_index():
    scores = {"a": torch.tensor([[3.0, 1, 1], [2, 1, 5]]), "b": torch.tensor([1.0, 0, 1, 1])}
    masks = {n: torch.ones_like(s, dtype=torch.bool) for n, s in scores.items()}
    new3 = prune_lowest(scores, masks, 3)  # b[1] (0), then the first two 1s: a[0,1], a[0,2]
    assert new3["a"].tolist() == [[T, F, F], [T, T, T]]
    assert new3["b"].tolist() == [T, F, T, T]
    new5 = prune_lowest(scores, masks, 5)  # ... then a[1,1] and b[0]
    assert new5["a"].tolist() == [[T, F, F], [T, F, T]]
    assert new5["b"].tolist() == [F, F, T, T]
    swapped = prune_lowest(scores, {"b": masks["b"], "a": masks["a"]}, 3)  # b first now
    assert swapped["a"].tolist() == [[T, T, T], [T, T, T]]
    assert swapped["b"].tolist() == [F, F, F, T]


def test_all_equal_scores_prune_in_order():
    scores = {"a": torch.zeros(2, 3), "b": torch.zeros(4)}
    masks = {n: torch.ones_like(s, dtype=torch.bool) for n, s in scores.items()}
    new = prune_lowest(scores, masks, 7)
    assert new["a"].flatten().tolist() == [F] * 6
    assert new["b"].tolist() == [F, T, T, T]


def test_dead_weights_are_never_selected_again():
    scores = {"a": torch.tensor([0.0, 0.0, 3.0, 1.0, 2.0])}
    masks = {"a": torch.tensor([F, F, T, T, T])}
    new = prune_lowest(scores, masks, 2)
    assert new["a"].tolist() == [F, F, T, F, F]


def test_matches_a_stable_sort_on_random_ties():
    gen = torch.Generator().manual_seed(0)
    shapes = {"w1": (7, 5), "w2": (13,), "w3": (3, 2, 2)}
    scores = {n: torch.randint(0, 4, s, generator=gen).float() for n, s in shapes.items()}
    masks = {n: torch.rand(s, generator=gen) < 0.7 for n, s in shapes.items()}
    names = list(shapes)
    values = torch.cat([scores[n].flatten() for n in names])
    alive = torch.cat([masks[n].flatten() for n in names])
    values[~alive] = float("inf")
    for k in range(int(alive.sum()) + 1):
        expected = alive.clone()
        expected[torch.sort(values, stable=True).indices[:k]] = False
        new = prune_lowest(scores, masks, k)
        assert torch.equal(torch.cat([new[n].flatten() for n in names]), expected), k


def test_global_counts_over_all_layers():
    gen = torch.Generator().manual_seed(0)
    masks = {"a": torch.ones(3, 4, dtype=torch.bool), "b": torch.ones(6, dtype=torch.bool)}
    scores = {n: torch.rand(m.shape, generator=gen) for n, m in masks.items()}
    new = prune_global(scores, masks, 0.2)  # floor(0.2 * 18 + 0.5) = 4
    assert sum(int((~m).sum()) for m in new.values()) == 4


def test_per_layer_counts_per_tensor():
    masks = {"a": torch.ones(3, 4, dtype=torch.bool), "b": torch.ones(6, dtype=torch.bool)}
    masks["b"][0] = False  # 5 alive
    scores = {"a": torch.arange(12.0).view(3, 4), "b": torch.arange(6.0)}
    new = prune_per_layer(scores, masks, 0.2)  # a: floor(2.4 + .5) = 2, b: floor(1 + .5) = 1
    assert new["a"].flatten().tolist() == [F, F] + [T] * 10
    assert new["b"].tolist() == [F, F, T, T, T, T]


def test_errors():
    masks = {"a": torch.ones(3, dtype=torch.bool)}
    with pytest.raises(ValueError, match="NaN"):
        prune_lowest({"a": torch.tensor([1.0, float("nan"), 2.0])}, masks, 1)
    with pytest.raises(ValueError, match="cannot prune 4"):
        prune_lowest({"a": torch.zeros(3)}, masks, 4)
    with pytest.raises(ValueError, match="shape"):
        prune_lowest({"a": torch.zeros(4)}, masks, 1)
