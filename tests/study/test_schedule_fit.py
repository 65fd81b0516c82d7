"""Schedules that do not fit the cycle are named, with the peak LR they actually reach."""

import pytest

from scyc_tune.cli.main import main
from scyc_tune.study import parse_study
from scyc_tune.study.schedule_fit import misfits, peak_lr

SHAPE = {"b": 20000, "c": 20000, "d": 25000, "e": "Nil"}


def _study(iterations, schedules):
    return parse_study(
        {
            "name": "short",
            "schedule": next(iter(schedules)),
            "data": {"name": "digits"},
            "model": {"name": "fc", "hidden": [8]},
            "pruning": {"rate": 0.5, "cycles": 2},
            "training": {"iterations": iterations, "batch_size": 16, "eval_every": 10},
            "schedules": schedules,
        }
    )


def test_a_paper_warmup_in_a_60_iteration_cycle_peaks_at_its_59th_step():
    study = _study(60, {"warm": {"type": "warmup", "a": 0.03, **SHAPE}})
    [m] = misfits(study)
    assert m.keys == ("schedules.warm.b", "schedules.warm.c", "schedules.warm.d")
    assert m.peak == pytest.approx(0.03 * 59 / 20000)  # 8.85e-5, the value the user saw
    assert m.max_lr == 0.03 and not m.useless
    text = m.message()
    assert "schedules.warm.b" in text and "60 iterations" in text and "8.85e-05" in text


def test_schedules_that_fit_raise_nothing_and_every_family_is_checked():
    fits = {
        "warm": {"type": "warmup", "a": 0.03, "b": 10, "c": 50, "d": "Nil"},
        "decay": {"type": "decay", "a": 0.02, "b": 60},
        "cyc": {"type": "cyclical", "a": 0.0, "b": 0.02, "c": 20},
    }
    assert misfits(_study(60, fits)) == []
    long = {**fits, "decay": {"type": "decay", "a": 0.02, "b": 600}}
    long["cyc"] = {"type": "cyclical", "a": 0.0, "b": 0.02, "c": 200}
    assert [m.label for m in misfits(_study(60, long))] == ["decay", "cyc"]
    assert peak_lr(_study(60, long).schedules["decay"], 60) == 0.02  # decay starts at its peak


def test_a_schedule_whose_lr_is_zero_all_cycle_is_exit_2(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(
        'name = "z"\nschedule = "warm"\n[data]\nname = "digits"\n[model]\nhidden = [8]\n'
        "[pruning]\nrate = 0.5\ncycles = 1\n[training]\niterations = 1\neval_every = 1\n"
        '[schedules.warm]\ntype = "warmup"\na = 0.03\nb = 100\nc = "Nil"\nd = "Nil"\n'
    )
    assert main(["prune", str(tmp_path / "s.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "schedules.warm.b" in err[0] and "peaks at 0" in err[0]


def test_the_oracle_table_shows_the_peak_reached():
    from scyc_tune.oracle.region import GridPoint, feasible_region
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.report.tables import oracle_terminal
    from scyc_tune.store.answer import OracleAnswer

    # the oracle's warmup peaks at 59/20000 of its max_lr in a 60-iteration cycle
    study = _study(60, {"warm": {"type": "warmup", "a": 0.03, **SHAPE}})
    points = (GridPoint(0.02, 0.5, "complete"), GridPoint(0.04, 0.6, "complete"))
    answer = OracleAnswer(0, 100.0, points, feasible_region(points, 0.5))
    table = oracle_terminal(table3(study, [answer], 1))
    rows = [[c._cells[i] for c in table.columns] for i in range(table.row_count)]
    assert rows[-1] == ["peak LR reached (well-tuned)", "0.0118", "–"]  # 0.04 x 59/20000


def test_a_misfit_is_one_warning_line_per_schedule_once_per_process(tmp_path, capsys):
    from scyc_tune.cli.study_arg import load_checked

    (tmp_path / "s.toml").write_text(
        'name = "w"\nschedule = "warm"\n[data]\nname = "digits"\n[model]\nhidden = [8]\n'
        "[pruning]\nrate = 0.5\ncycles = 1\n[training]\niterations = 60\neval_every = 10\n"
        '[schedules.warm]\ntype = "warmup"\na = 0.03\nb = 20000\nc = "Nil"\nd = "Nil"\n'
    )
    load_checked(tmp_path / "s.toml")
    load_checked(tmp_path / "s.toml")  # `run` loads the study once per step
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("scyc-tune: warning: ") and "schedules.warm.b" in err[0]
