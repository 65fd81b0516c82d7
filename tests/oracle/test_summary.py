"""A finished cycle's answer on its Optuna study's page (issue 14, item 1: the significance
verdict in the dashboard's user attributes), on a hand-made replicated answer."""

import optuna

from scyc_tune.oracle.region import feasible_region
from scyc_tune.oracle.summary import answer_attributes
from scyc_tune.store.answer import GridPoint, OracleAnswer
from scyc_tune.store.optuna_mirror import annotate_cycle

POINTS = (
    GridPoint(0.02, 0.80, std=0.01, n=3),
    GridPoint(0.04, 0.90, std=0.01, n=3),
    GridPoint(0.08, 0.8975, std=0.02, n=3),
    GridPoint(0.16, 0.85, std=0.005, n=3),
    GridPoint(0.32, None, "diverged", None, 2),
)


def answer(points=POINTS):
    return OracleAnswer(1, 50.0, points, feasible_region(points, 0.5, "relative"))


def test_every_point_in_words_with_its_verdict():
    attrs = answer_attributes(answer(), 0.5, "relative", 0.05)
    assert attrs == {
        "well-tuned max_lr": 0.04,
        "feasible region": "[0.04, 0.08] (within 0.5% of the best)",
        "max_lr 0.02": "80.00 ± 1.00% over 3 seeds; distinguishable from the best "
        "(Welch, one-sided, p 0.05)",
        "max_lr 0.04": "90.00 ± 1.00% over 3 seeds; the well-tuned point",
        "max_lr 0.08": "89.75 ± 2.00% over 3 seeds; feasible; not distinguishable from the "
        "best (Welch, one-sided, p 0.05)",
        "max_lr 0.16": "85.00 ± 0.50% over 3 seeds; distinguishable from the best "
        "(Welch, one-sided, p 0.05)",
        "max_lr 0.32": "no accuracy (2 seeds with one); diverged",
    }


def test_a_single_seed_answer_has_no_verdict():
    single = tuple(GridPoint(p.max_lr, p.val_acc, p.status) for p in POINTS[:4])
    attrs = answer_attributes(answer(single), 0.5, "points", 0.05)
    assert attrs["max_lr 0.08"] == "89.75%; feasible"
    assert attrs["feasible region"] == "[0.04, 0.08] (within 0.5 points)"
    assert not any("distinguishable" in str(v) for v in attrs.values())


def test_the_cycle_study_shows_the_answer_and_a_new_answer_replaces_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    name = "demo/cycle-2"
    attrs = answer_attributes(answer(), 0.5, "relative", 0.05)
    annotate_cycle(url, name, attrs, cycle=1, percent_remaining=50.0, start="abc")
    study = optuna.load_study(study_name=name, storage=url)
    shown = {k.removeprefix("answer: "): v for k, v in study.user_attrs.items()
             if k.startswith("answer: ")}  # fmt: skip
    assert shown == attrs
    assert study.user_attrs["cycle"] == 2 and study.user_attrs["lambda"] == 50.0
    fewer = answer_attributes(answer(POINTS[:3]), 0.5, "relative", 0.05)
    annotate_cycle(url, name, fewer, cycle=1, percent_remaining=50.0, start="abc")
    after = optuna.load_study(study_name=name, storage=url).user_attrs
    assert after["answer: max_lr 0.16"] is None and after["answer: max_lr 0.32"] is None
    assert after["answer: max_lr 0.08"] == fewer["max_lr 0.08"]
