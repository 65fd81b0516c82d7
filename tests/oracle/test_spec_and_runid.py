"""The [oracle] grid, the oracle's schedule, and pinned run ids (old results stay findable)."""

import pytest

from scyc_tune.engine import cycle_job
from scyc_tune.oracle.jobs import grid_jobs
from scyc_tune.runs.identity import run_id
from scyc_tune.study import parse_study
from scyc_tune.study.oracle_spec import GridRange, OracleSpec

STUDY = {
    "name": "pin",
    "seed": 1,
    "schedule": "w",
    "data": {"name": "digits"},
    "model": {"name": "fc", "hidden": [8]},
    "training": {"iterations": 10, "eval_every": 5},
    "schedules": {"w": {"type": "warmup", "a": 0.05, "b": 2, "c": 8, "d": "Nil"}},
    "oracle": {"grid": [0.01, 0.02, 0.04]},
}


def test_linear_grid_steps_of_0_2e_2():
    assert GridRange(start=0.036, stop=0.044, count=5).values() == [
        0.036,
        0.038,
        0.04,
        0.042,
        0.044,
    ]


def test_log_grid():
    values = GridRange(start=1e-4, stop=1e-1, count=4, spacing="log").values()
    assert values == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1])


def test_grid_errors():
    with pytest.raises(ValueError, match="larger than start"):
        GridRange(start=0.1, stop=0.01, count=3)
    with pytest.raises(ValueError, match="must be > 0"):
        OracleSpec(grid=[0.1, -0.1])


def test_oracle_varies_max_lr_of_its_schedule():
    study = parse_study(STUDY)
    jobs = grid_jobs(study, 2, [0.01, 0.04])
    assert [j.schedule.a for j in jobs.values()] == [0.01, 0.04]
    assert all(j.schedule.b == 2 and j.cycle == 2 for j in jobs.values())


def test_oracle_schedule_must_have_a_max_lr():
    raw = dict(
        STUDY, schedules={**STUDY["schedules"], "s": {"type": "scyc"}}, oracle={"schedule": "s"}
    )
    with pytest.raises(Exception, match="no single max_lr"):
        parse_study(raw)


def test_run_id_pinned():
    job = cycle_job(parse_study(STUDY), 0)
    # Pinned: changing these means every stored trial is retrained. Only change on purpose.
    assert run_id(job, "0" * 64) == PINNED
    single = {**STUDY, "training": {**STUDY["training"], "engine": "single"}}
    assert run_id(cycle_job(parse_study(single), 0), "0" * 64) == PINNED
    # the fused engine's results differ from train_cycle's by rounding: another run
    fused = {**STUDY, "training": {**STUDY["training"], "engine": "fused"}}
    assert run_id(cycle_job(parse_study(fused), 0), "0" * 64) == PINNED_FUSED


def test_run_id_ignores_device_and_cycles_but_not_max_lr():
    study = parse_study(STUDY)
    base = run_id(cycle_job(study, 0), "a" * 64)
    other_device = parse_study({**STUDY, "training": {**STUDY["training"], "device": "cpu"}})
    more_cycles = parse_study({**STUDY, "pruning": {"cycles": 25}})
    assert run_id(cycle_job(other_device, 0), "a" * 64) == base
    assert run_id(cycle_job(more_cycles, 0), "a" * 64) == base
    jobs = grid_jobs(study, 0, [0.01, 0.02])
    assert run_id(jobs[0.01], "a" * 64) != run_id(jobs[0.02], "a" * 64)
    assert run_id(cycle_job(study, 0), "b" * 64) != base


PINNED = "9e21d3c8649ac11c63732dfd7187afcf08430ad3ab3b3149f80ee107911024b5"
PINNED_FUSED = "6949aec320307ea8e6fe86e92cf3ab8e1b8048b6fa53db939edb365341b70b2e"
