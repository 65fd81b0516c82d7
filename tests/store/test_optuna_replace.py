"""replace_study: `fit --mode oracle` swaps its Optuna study in one step, never leaving it
missing or half-copied, whatever moment the process dies at."""

import optuna
import pytest

from scyc_tune.store import optuna_replace
from scyc_tune.store.optuna_replace import replace_study

NAME = "demo/fit-oracle"


def finished(values: list[float]) -> optuna.storages.InMemoryStorage:
    """An in-memory study NAME with one trial per value (x = value)."""
    memory = optuna.storages.InMemoryStorage()
    study = optuna.create_study(study_name=NAME, storage=memory, direction="maximize")
    study.set_user_attr("mode", "oracle")
    for v in values:
        study.enqueue_trial({"x": v})
    study.optimize(lambda t: t.suggest_float("x", 0, 10), n_trials=len(values))
    return memory


def stored(url: str) -> list[float]:
    study = optuna.load_study(study_name=NAME, storage=url)
    assert study.user_attrs == {"mode": "oracle"}
    return [t.value for t in study.trials]


def test_the_study_is_replaced_and_nothing_else_is_left(url):
    optuna.create_study(study_name="demo/cycle-1", storage=url)  # a neighbour, untouched
    replace_study(finished([1, 2, 3]), NAME, url)
    assert stored(url) == [1, 2, 3]
    replace_study(finished([4, 5]), NAME, url)
    assert stored(url) == [4, 5]
    assert sorted(optuna.get_all_study_names(url)) == ["demo/cycle-1", NAME]


def test_a_crash_during_the_copy_leaves_the_old_study_whole(url, monkeypatch):
    replace_study(finished([1, 2, 3]), NAME, url)
    real_copy = optuna.copy_study

    def dies_half_way(**kw):
        real_copy(**kw)
        raise KeyboardInterrupt  # as if killed after the staged copy

    monkeypatch.setattr(optuna_replace.optuna, "copy_study", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        replace_study(finished([7, 8]), NAME, url)
    assert stored(url) == [1, 2, 3]
    assert len(optuna.get_all_study_names(url)) == 2  # the staged copy, to be cleaned up
    monkeypatch.setattr(optuna_replace.optuna, "copy_study", real_copy)
    replace_study(finished([9]), NAME, url)
    assert stored(url) == [9]
    assert optuna.get_all_study_names(url) == [NAME]


def test_a_crash_after_the_swap_leaves_the_new_study_whole(url, monkeypatch):
    replace_study(finished([1, 2, 3]), NAME, url)

    def killed(**kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(optuna_replace.optuna, "delete_study", killed)
    with pytest.raises(KeyboardInterrupt):
        replace_study(finished([7, 8]), NAME, url)
    assert stored(url) == [7, 8]  # the old one waits under a temporary name
    monkeypatch.undo()
    replace_study(finished([9]), NAME, url)
    assert optuna.get_all_study_names(url) == [NAME]
