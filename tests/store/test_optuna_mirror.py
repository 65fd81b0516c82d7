"""mirror_trial: every cycle is an Optuna study in the oracle's database."""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import optuna
import pytest

from scyc_tune.oracle.jobs import optuna_study_name
from scyc_tune.store import OracleDB, mirror_trial
from scyc_tune.store.optuna_mirror import _storage, cycle_study_name, migrate_legacy_studies

GRID = [0.01, 0.03, 0.1, 0.3, 1.0]
STUDY = "demo/cycle-3"  # internal cycle 2
T0 = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
MARKED = {"study": "demo", "cycle": 3, "cycle_index": 2, "lambda": 25.0, "scyc_mirror_version": 2}

LOAD_IN_A_FRESH_PROCESS = """
import json, sys
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
print(json.dumps({
    "direction": study.direction.name,
    "user_attrs": study.user_attrs,
    "metric_names": study.metric_names,
    "trials": [
        [t.params, t.value, t.state.name, t.user_attrs,
         [type(d).__name__, d.low, d.high, d.log]]
        for t in study.trials
        for d in [t.distributions["max_lr"]]
    ],
    "times": [[t.datetime_start.isoformat(), t.datetime_complete.isoformat()]
              for t in study.trials],
}))
"""


def load_elsewhere(url: str, study_name: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_FRESH_PROCESS, url, study_name],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def mirror(url, max_lr, value, state, attrs, *, name=STUDY, cycle=2, grid=GRID, t0=T0, s=60, **kw):
    """mirror_trial with a cycle's arguments: lambda 100 * 0.5**cycle, a run of ``s`` seconds."""
    return mirror_trial(
        url,
        name,
        grid,
        max_lr,
        value,
        state,
        attrs,
        cycle=cycle,
        percent_remaining=100.0 * 0.5**cycle,
        datetime_start=t0,
        datetime_complete=t0 + timedelta(seconds=s),
        **kw,
    )


def mirror_three(url: str) -> list[bool]:
    return [
        mirror(url, 0.1, 0.875, "complete", {"run_id": "r1", "seed": 7}),
        mirror(url, 0.3, 0.75, "complete", {"run_id": "r2", "seed": 7}),
        mirror(url, 1.0, None, "fail", {"run_id": "r3", "error": "diverged"}),
    ]


def local(t: datetime) -> datetime:
    """What Optuna keeps for an aware time: naive local time."""
    return t.astimezone().replace(tzinfo=None)


def legacy_study(url: str, name: str, run_ids: list[str], k: int, start=T0) -> None:
    """A study as the previous mirror made it: '<study>/cycle-<k>' for internal cycle k."""
    study = optuna.create_study(study_name=name, storage=url, direction="maximize")
    for i, rid in enumerate(run_ids):
        trial = optuna.trial.create_trial(
            params={"max_lr": GRID[i]},
            distributions={"max_lr": optuna.distributions.FloatDistribution(0.01, 1, log=True)},
            value=0.5 + i / 8,
            user_attrs={"run_id": rid, "cycle": k, "percent_remaining": 100.0 * 0.5**k},
        )
        trial.datetime_start = local(start + timedelta(minutes=i))  # create_trial said "now"
        trial.datetime_complete = local(start + timedelta(minutes=i, seconds=30))
        study.add_trial(trial)


def names(url: str) -> list[str]:
    return sorted(optuna.get_all_study_names(url))


def test_internal_cycle_m_is_study_cycle_m_plus_1():
    assert cycle_study_name("demo", 0) == "demo/cycle-1"
    assert cycle_study_name("demo", 5) == "demo/cycle-6"
    assert optuna_study_name(SimpleNamespace(name="demo"), 0) == "demo/cycle-1"
    with pytest.raises(ValueError, match="negative"):
        cycle_study_name("demo", -1)


def test_a_fresh_process_sees_the_mirrored_trials(url):
    with OracleDB(url):
        pass  # the oracle's tables and Optuna's share the file
    assert mirror_three(url) == [True, True, True]
    seen = load_elsewhere(url, STUDY)
    assert seen["direction"] == "MAXIMIZE"
    assert seen["user_attrs"] == MARKED
    assert seen["metric_names"] == ["val_acc"]
    log_range = ["FloatDistribution", 0.01, 1.0, True]
    assert seen["trials"] == [
        [{"max_lr": 0.1}, 0.875, "COMPLETE", {"run_id": "r1", "seed": 7}, log_range],
        [{"max_lr": 0.3}, 0.75, "COMPLETE", {"run_id": "r2", "seed": 7}, log_range],
        [{"max_lr": 1.0}, None, "FAIL", {"run_id": "r3", "error": "diverged"}, log_range],
    ]
    span = [local(T0).isoformat(), local(T0 + timedelta(seconds=60)).isoformat()]
    assert seen["times"] == [span, span, span]


def test_trials_keep_the_runs_start_and_end_times(url):
    start = T0 + timedelta(hours=5)
    assert mirror(url, 0.1, 0.5, "complete", {"run_id": "a"}, t0=start, s=754.25)
    assert mirror(url, 0.3, None, "fail", {"run_id": "b"}, t0=start, s=3)
    ours = optuna.load_study(study_name=STUDY, storage=url).trials
    assert [(t.datetime_start, t.datetime_complete) for t in ours] == [
        (local(start), local(start + timedelta(seconds=754.25))),
        (local(start), local(start + timedelta(seconds=3))),
    ]
    assert ours[0].datetime_start.astimezone(UTC) == start  # naive local time, read as such
    assert ours[0].duration == timedelta(seconds=754.25)


@pytest.fixture
def new_york():
    """The process's local zone is America/New_York for the test (UTC-5 in January)."""
    before = time.tzname
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "America/New_York")
        time.tzset()
        if time.tzname == before and before[0] in ("UTC", "GMT"):
            pytest.skip("no time zone data for America/New_York")
        yield
    time.tzset()


def test_aware_times_are_stored_as_local_time_like_optunas_own(url, new_york):
    assert mirror(url, 0.1, 0.5, "complete", {"run_id": "a"}, s=1.5)
    (t,) = optuna.load_study(study_name=STUDY, storage=url).trials
    assert t.datetime_start == datetime(2025, 1, 1, 22, 4, 5, 678901)  # T0 is 03:04:05 UTC
    assert t.datetime_complete == datetime(2025, 1, 1, 22, 4, 7, 178901)


def test_mirroring_a_run_twice_keeps_one_trial(url):
    mirror_three(url)
    assert mirror(url, 0.1, 0.5, "complete", {"run_id": "r1"}) is False
    assert mirror(url, 1.0, None, "fail", {"run_id": "r3"}) is False
    study = optuna.load_study(study_name=STUDY, storage=url)
    assert [t.user_attrs["run_id"] for t in study.trials] == ["r1", "r2", "r3"]
    assert [t.value for t in study.trials] == [0.875, 0.75, None]
    assert study.user_attrs == MARKED


def test_a_failed_run_retried_with_success_shows_both_attempts(url):
    assert mirror(url, 0.3, None, "fail", {"run_id": "r"})
    assert not mirror(url, 0.3, None, "fail", {"run_id": "r"})
    assert mirror(url, 0.3, 0.5, "complete", {"run_id": "r"})
    assert not mirror(url, 0.3, None, "fail", {"run_id": "r"})
    assert not mirror(url, 0.3, 0.25, "complete", {"run_id": "r"})
    assert mirror(url, 0.1, 0.75, "complete", {"run_id": "done-first"})
    assert not mirror(url, 0.1, None, "fail", {"run_id": "done-first"})
    study = optuna.load_study(study_name=STUDY, storage=url)
    assert [(t.state.name, t.value) for t in study.trials] == [
        ("FAIL", None),
        ("COMPLETE", 0.5),
        ("COMPLETE", 0.75),
    ]


def test_a_cycle_restarted_from_another_state_drops_its_stale_trials(url):
    """upsert_cycle deletes a restarted cycle's trial rows; its Optuna study follows."""
    old, new = "a" * 64, "b" * 64
    assert mirror(url, 0.1, 0.875, "complete", {"run_id": "r1"}, start=old)
    assert mirror(url, 0.3, 0.75, "complete", {"run_id": "r2"}, start=old)
    assert optuna.load_study(study_name=STUDY, storage=url).user_attrs["start"] == old
    assert mirror(url, 0.1, 0.5, "complete", {"run_id": "r3"}, start=new)
    study = optuna.load_study(study_name=STUDY, storage=url)
    assert [t.user_attrs["run_id"] for t in study.trials] == ["r3"]
    assert study.user_attrs == {**MARKED, "start": new}
    assert mirror(url, 0.3, 0.25, "complete", {"run_id": "r4"}, start=new)
    assert len(optuna.load_study(study_name=STUDY, storage=url).trials) == 2
    assert names(url) == [STUDY]


def test_cycles_are_separate_studies_and_grids_may_widen(url):
    mirror(url, 0.1, 0.5, "complete", {"run_id": "a"}, name="demo/cycle-1", cycle=0)
    mirror(url, 0.1, 0.25, "complete", {"run_id": "b"}, name="demo/cycle-2", cycle=1)
    wider = [0.001, *GRID, 3.0]
    again = {"name": "demo/cycle-1", "cycle": 0, "grid": wider}
    assert mirror(url, 3.0, 0.125, "complete", {"run_id": "c"}, **again)
    assert names(url) == ["demo/cycle-1", "demo/cycle-2"]
    cycle0 = optuna.load_study(study_name="demo/cycle-1", storage=url)
    assert [(t.params["max_lr"], t.value) for t in cycle0.trials] == [(0.1, 0.5), (3.0, 0.125)]
    assert cycle0.best_trial.user_attrs == {"run_id": "a"}
    assert cycle0.user_attrs["cycle"] == 1 and cycle0.user_attrs["lambda"] == 100.0
    cycle1 = optuna.load_study(study_name="demo/cycle-2", storage=url)
    assert (cycle1.user_attrs["cycle_index"], cycle1.user_attrs["lambda"]) == (1, 50.0)


def test_a_legacy_study_is_never_reused_under_the_new_name(url):
    # the old scheme: 'demo/cycle-1' was internal cycle 1; now it names internal cycle 0
    legacy_study(url, "demo/cycle-0", ["a0", "a1"], 0)
    legacy_study(url, "demo/cycle-1", ["b0"], 1)
    legacy_study(url, "other/cycle-1", ["o0"], 1)  # another study's: left alone
    optuna.create_study(study_name="demo/fit-oracle", storage=url)
    # b0 is in the legacy 'demo/cycle-1': reusing it would refuse b0 as already mirrored
    assert mirror(url, 0.1, 0.5, "complete", {"run_id": "b0"}, name="demo/cycle-1", cycle=0)
    assert mirror(url, 0.3, 0.25, "complete", {"run_id": "c"}, name="demo/cycle-1", cycle=0)
    assert names(url) == ["demo/cycle-1", "demo/cycle-2", "demo/fit-oracle", "other/cycle-1"]
    first = optuna.load_study(study_name="demo/cycle-1", storage=url)
    assert first.user_attrs == {**MARKED, "cycle": 1, "cycle_index": 0, "lambda": 100.0}
    assert [t.user_attrs["run_id"] for t in first.trials] == ["a0", "a1", "b0", "c"]
    assert [t.user_attrs.get("cycle_index") for t in first.trials] == [0, 0, None, None]
    assert [t.user_attrs.get("cycle") for t in first.trials] == [1, 1, None, None]
    moved = first.trials[1]  # keeps its value and times
    assert (moved.value, moved.datetime_start, moved.datetime_complete) == (
        0.625,
        local(T0 + timedelta(minutes=1)),
        local(T0 + timedelta(minutes=1, seconds=30)),
    )
    second = optuna.load_study(study_name="demo/cycle-2", storage=url)
    assert second.user_attrs == {**MARKED, "cycle": 2, "cycle_index": 1, "lambda": 50.0}
    assert second.metric_names == ["val_acc"]
    assert [(t.user_attrs["run_id"], t.user_attrs["cycle"]) for t in second.trials] == [("b0", 2)]
    untouched = optuna.load_study(study_name="other/cycle-1", storage=url)
    assert "scyc_mirror_version" not in untouched.user_attrs


def test_moving_legacy_studies_keeps_times_and_is_idempotent(url):
    legacy_study(url, "demo/cycle-0", ["a0"], 0)
    before = optuna.load_study(study_name="demo/cycle-0", storage=url).trials[0]
    assert migrate_legacy_studies(url, "demo") == [("demo/cycle-0", "demo/cycle-1")]
    assert migrate_legacy_studies(url, "demo") == []
    (moved,) = optuna.load_study(study_name="demo/cycle-1", storage=url).trials
    assert (moved.datetime_start, moved.datetime_complete) == (
        before.datetime_start,
        before.datetime_complete,
    )
    assert (moved.params, moved.value, moved.user_attrs["run_id"]) == ({"max_lr": 0.01}, 0.5, "a0")
    # a crash after the copy and before the delete: the old study again, moved without doubles
    legacy_study(url, "demo/cycle-0", ["a0"], 0)
    assert migrate_legacy_studies(url, "demo") == [("demo/cycle-0", "demo/cycle-1")]
    assert names(url) == ["demo/cycle-1"]
    assert len(optuna.load_study(study_name="demo/cycle-1", storage=url).trials) == 1


def test_an_empty_unmarked_study_is_dropped_not_moved(url):
    optuna.create_study(study_name="demo/cycle-1", storage=url, direction="maximize")
    assert migrate_legacy_studies(url, "demo") == []
    assert names(url) == []


def test_the_storage_is_created_once_per_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    relative = "sqlite:///runs/oracle.db"
    absolute = f"sqlite:///{tmp_path / 'runs' / 'oracle.db'}"
    assert _storage(relative) is _storage(absolute)
    assert (tmp_path / "runs" / "oracle.db").is_file()


@pytest.mark.parametrize(
    ("value", "state", "attrs", "kwargs", "message"),
    [
        (0.5, "complete", {"seed": 1}, {}, "must carry a 'run_id'"),
        (None, "complete", {"run_id": "x"}, {}, "needs a finite value; got None"),
        (float("nan"), "complete", {"run_id": "x"}, {}, "needs a finite value; got nan"),
        (0.5, "pruned", {"run_id": "x"}, {}, "state 'pruned' is not one of 'complete', 'fail'"),
        (0.5, "complete", {"run_id": "x"}, {"cycle": 3}, "should end in '/cycle-4'"),
        (0.5, "complete", {"run_id": "x"}, {"s": -1}, "is before datetime_start"),
    ],
)
def test_bad_arguments_are_refused(url, value, state, attrs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        mirror(url, 0.1, value, state, attrs, **kwargs)
