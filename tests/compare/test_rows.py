"""The comparison's rows and cycle keys, from a study, a synthetic oracle and a fit."""

from datetime import UTC, datetime

import pytest

from scyc_tune.compare.keys import cycle_keys
from scyc_tune.compare.rows import plan_rows
from scyc_tune.compare.tuning import Tuned
from scyc_tune.errors import StudyError
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.store import FitRow
from scyc_tune.store.answer import GridPoint, OracleAnswer, Region
from scyc_tune.study import parse_study

SHAPE = {"b": 10, "c": 50, "d": "Nil", "e": "Nil"}


def study(**compare):
    return parse_study(
        {
            "name": "rows",
            "seed": 4,
            "schedule": "s-cyc",
            "data": {"name": "digits"},
            "model": {"name": "fc", "hidden": [8]},
            "pruning": {"method": "global_magnitude", "rate": 0.5, "cycles": 3},
            "training": {"iterations": 60, "batch_size": 32},
            "schedules": {
                "constant": {"type": "constant", "a": 0.01},
                "warm": {"type": "warmup", "a": 0.03, **SHAPE},
                "s-cyc": {"type": "scyc", "epsilon": 0.04, "delta": 0.06, "q": 1, "beta": 4}
                | SHAPE,
            },
            "oracle": {"schedule": "warm", "grid": [0.02, 0.04, 0.08]},
            "compare": compare,
        }
    )


def oracle(*well_tuned):
    return [
        OracleAnswer(
            m,
            100 * 0.5**m,
            tuple(GridPoint(g, 0.5) for g in (0.02, 0.04, 0.08)),
            Region(v, 0.5, (v,), True),
        )
        for m, v in enumerate(well_tuned)
    ]


def fit(**params):
    full = {"type": "scyc", "epsilon": 0.04, "delta": 0.06, "q": 1, "beta": 4, **SHAPE, **params}
    return {"oracle": FitRow(1, 1, "oracle", full, 2.5, "rows/fit-oracle", 10, datetime.now(UTC))}


TUNED = {"constant": Tuned("constant", 0.08, 3, 3)}


def test_rows_in_the_papers_order_with_the_oracle_derived_ones():
    plan = plan_rows(study(), oracle(0.04, 0.08, 0.08), fit(epsilon=0.02, delta=0.1, q=0), TUNED)
    assert [(r.label, r.kind) for r in plan.rows] == [
        ("constant", "benchmark"),
        ("warm", "benchmark"),
        ("lr-warmup-2", "benchmark"),
        ("s-cyc", "scyc"),
        ("s-cyc-fitted", "scyc"),
        ("oracle", "oracle"),
    ]
    titles = {r.label: r.title for r in plan.rows}
    assert titles["constant"] == "constant LR, tuned (8e-2)"
    assert titles["warm"] == "LR-warmup-1 (3e-2, 10, 50, Nil, Nil)"
    assert titles["lr-warmup-2"] == "LR-warmup-2 (4e-2, 10, 50, Nil, Nil)"
    assert titles["s-cyc"] == "S-Cyc (4e-2, 6e-2, 1, 4, 10, 50, Nil, Nil)"
    assert titles["s-cyc-fitted"] == "S-Cyc fitted, held out (2e-2, 1e-1, 0, 4, 10, 50, Nil, Nil)"
    assert titles["oracle"] == "oracle (4e-2, 8e-2, 8e-2)"
    assert plan.missing == ()
    rows = {r.label: r for r in plan.rows}
    assert [s.a for s in rows["constant"].schedules] == [0.08] * 3
    assert rows["constant"].note == "tuned on the unpruned network"
    assert [s.a for s in rows["lr-warmup-2"].schedules] == [0.04] * 3
    assert [s.a for s in rows["oracle"].schedules] == [0.04, 0.08, 0.08]
    # S-Cyc, fitted: the warmup it amounts to per cycle (q = 0, so it rises from cycle 1)
    scyc = rows["s-cyc-fitted"].schedules
    assert all(isinstance(s, WarmupParams) for s in scyc)
    assert scyc[0].a == pytest.approx(0.02)
    assert scyc[0].a < scyc[1].a < scyc[2].a < 0.12
    assert rows["s-cyc-fitted"].note == "fitted (oracle mode), held out"
    # the study file's S-Cyc stays a row of its own (q = 1: no growth at cycle 1)
    own = rows["s-cyc"].schedules
    assert rows["s-cyc"].note == "study file"
    assert own[0].a == pytest.approx(0.04) and own[1].a == pytest.approx(0.04)
    assert rows["oracle"].reference and not rows["warm"].reference


def test_in_sample_comparisons_label_the_fitted_row_so():
    plan = plan_rows(study(held_out=False), oracle(0.04), fit(epsilon=0.02), TUNED)
    rows = {r.label: r for r in plan.rows}
    assert rows["s-cyc-fitted"].note == "fitted (oracle mode), in-sample"
    assert rows["s-cyc-fitted"].title.startswith("S-Cyc fitted, in-sample (2e-2, ")


def test_without_an_oracle_a_fit_or_the_tuning_the_rows_say_what_is_missing():
    plan = plan_rows(study(), [], {})
    assert [r.label for r in plan.rows] == ["warm", "s-cyc"]
    assert {r.label: r.note for r in plan.rows}["s-cyc"] == "study file"
    assert [m.split(":")[0] for m in plan.missing] == ["constant", "lr-warmup-2", "oracle"]
    assert plan.missing[0] == (
        "constant: its LR tuning on the unpruned network has 0 of 3 values (run `scyc-tune "
        "compare`)"
    )
    partial = plan_rows(study(), oracle(0.04), {}, {"constant": Tuned("constant", None, 3, 3)})
    assert [s.a for s in {r.label: r for r in partial.rows}["oracle"].schedules] == [0.04]
    assert partial.missing == (
        "constant: every LR of its tuning grid diverged on the unpruned network",
        "oracle: the oracle has finished 1 of 3 cycles",
    )


def test_untuned_benchmarks_are_rows_as_written():
    plan = plan_rows(study(tune_benchmarks=False), [], {})
    assert {r.label: r.title for r in plan.rows}["constant"] == "constant LR (1e-2)"


def test_compare_options_pick_rows_and_the_fit():
    plan = plan_rows(
        study(schedules=["s-cyc"], tuned_warmup="", oracle_row=False, fitted="none"),
        oracle(0.04, 0.08, 0.08),
        fit(epsilon=0.02),
    )
    assert [(r.label, r.note) for r in plan.rows] == [("s-cyc", "study file")]


def test_a_compare_label_without_a_schedule_is_a_study_error():
    with pytest.raises(StudyError, match=r"compare.schedules = .nope. names no \[schedules.nope\]"):
        study(schedules=["nope"])


def test_cycle_keys_name_prefixes_and_change_with_seed_and_schedule():
    s = study()
    warm = s.schedules["warm"]
    other = warm.with_max_lr(0.05)
    keys = cycle_keys(s, 4, [warm, warm, warm])
    assert len(set(keys)) == 3
    assert cycle_keys(s, 4, [warm, warm]) == keys[:2]  # a longer run finds the shorter's cycles
    assert cycle_keys(s, 4, [warm, other, warm])[0] == keys[0]
    assert cycle_keys(s, 4, [warm, other, warm])[1:] != keys[1:]
    assert cycle_keys(s, 5, [warm])[0] != keys[0]
    more_cycles = s.model_copy(update={"pruning": s.pruning.model_copy(update={"cycles": 9})})
    assert cycle_keys(more_cycles, 4, [warm]) == keys[:1]


def test_a_study_with_its_own_lr_warmup_2_keeps_both_rows_apart():
    """The paper's studies write the literature's LR-warmup-2; the tuned row is another one."""
    raw = study(tune_benchmarks=False).model_dump(mode="json")
    raw["schedules"]["lr-warmup-2"] = {**raw["schedules"]["warm"], "a": 0.07}
    plan = plan_rows(parse_study(raw), oracle(0.04, 0.08, 0.08), {})
    labels = [r.label for r in plan.rows]
    assert labels == ["constant", "warm", "lr-warmup-2-tuned", "s-cyc", "lr-warmup-2", "oracle"]
    titles = {r.label: r.title for r in plan.rows}
    assert titles["lr-warmup-2"] == "LR-warmup-2 (7e-2, 10, 50, Nil, Nil)"
    assert titles["lr-warmup-2-tuned"] == "LR-warmup-2, tuned (4e-2, 10, 50, Nil, Nil)"
    assert len(set(titles.values())) == len(titles)


@pytest.mark.parametrize("label", ["oracle", "lr-warmup-2-tuned", "s-cyc-fitted"])
def test_labels_of_derived_rows_are_reserved(label):
    raw = study().model_dump(mode="json")
    raw["schedules"][label] = raw["schedules"]["warm"]
    with pytest.raises(StudyError, match=f"schedules.{label}.*rename the table"):
        parse_study(raw)


PINNED_KEYS = [
    "8708b651e183ac5a948630766399e7a2a4376eb4467f27bb0054d20e7f74ffda",
    "99c9bb0194165114c55c3d76355e8b5c4ec88e0c6d2399500a875f4f48170244",
]


def test_cycle_keys_pinned():
    """Changing these orphans every stored comparison cycle. Only change on purpose."""
    s = study()
    warm = s.schedules["warm"]
    assert cycle_keys(s, 4, [warm, warm.with_max_lr(0.05)]) == PINNED_KEYS
