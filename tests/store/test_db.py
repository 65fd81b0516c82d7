"""OracleDB: studies, cycles and trials, each call one committed transaction."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from scyc_tune.store import CycleRow, OracleDB, StudyRow, TrialRow
from scyc_tune.store.answer import OracleAnswer, Region
from scyc_tune.store.entries import TrialEntry

RUN_A, RUN_B, RUN_C = ("a" * 64, "b" * 64, "c" * 64)
START_1, START_2 = ("1" * 64, "2" * 64)

RECORD = {
    "cycle": 1,
    "percent_remaining": 80.0,
    "max_lr": 0.1,
    "val_acc": 0.875,
    "test_acc": 0.8125,
    "final_val_acc": 0.75,
    "final_test_acc": 0.6875,
    "train_loss": 0.25,
    "best_iteration": 40,
    "iterations_run": 60,
    "diverged": False,
    "wall_time": 1.5,
    "device": "cpu",
}


@pytest.fixture
def cycle(db):
    study_id = db.studies.upsert("demo", "name = 'demo'", "f" * 64)
    return db.oracle.upsert_cycle(study_id, 1, 80.0, START_1)


def record(db, cycle, run_id=RUN_A, status="complete", rec=RECORD, t0=None, **kw):
    t0 = t0 or datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    args = dict(max_lr=0.1, seed=7, error=None, artifact=None)
    args.update(kw)
    return db.oracle.record_trial(
        cycle.id,
        TrialEntry(
            run_id,
            args["max_lr"],
            args["seed"],
            status,
            t0,
            t0 + timedelta(seconds=2.5),
            rec,
            args["error"],
            args["artifact"],
        ),
    )


def test_upsert_study_keeps_the_id_and_updates_the_content(db):
    first = db.studies.upsert("demo", "seed = 1", "1" * 64)
    other = db.studies.upsert("another", "seed = 3", "3" * 64)
    again = db.studies.upsert("demo", "seed = 2", "2" * 64)
    assert again == first != other
    studies = db.studies.all()
    assert [(s.name, s.content, s.content_hash) for s in studies] == [
        ("another", "seed = 3", "3" * 64),
        ("demo", "seed = 2", "2" * 64),
    ]
    assert all(isinstance(s, StudyRow) and s.created_at.tzinfo is UTC for s in studies)


def test_upsert_study_rejects_an_overlong_name(db):
    with pytest.raises(ValueError, match="1 to 255 characters"):
        db.studies.upsert("x" * 256, "", "0" * 64)


def test_new_cycle_is_running_with_no_region(db, cycle):
    assert isinstance(cycle, CycleRow)
    assert (cycle.cycle, cycle.percent_remaining, cycle.start_artifact, cycle.status) == (
        1,
        80.0,
        START_1,
        "running",
    )
    assert (cycle.well_tuned_max_lr, cycle.region_values, cycle.best_run_id) == (None, None, None)
    assert cycle.updated_at.tzinfo is UTC


def test_upsert_cycle_keeps_a_row_with_the_same_start(db, cycle):
    done = db.oracle.finish_cycle(cycle.id, _answer((0.05, 0.1, 0.2), True, RUN_A))
    again = db.oracle.upsert_cycle(cycle.study_id, 1, 80.0, START_1)
    assert again == done
    assert again.status == "complete"
    assert db.oracle.cycles_of(cycle.study_id) == [done]


def test_upsert_cycle_with_a_new_start_reruns_the_cycle(db, cycle):
    record(db, cycle, RUN_A)
    db.oracle.finish_cycle(cycle.id, _answer((0.05, 0.1, 0.2), True, RUN_A))
    moved = db.oracle.upsert_cycle(cycle.study_id, 1, 80.0, START_2)
    assert moved.id == cycle.id
    assert (moved.start_artifact, moved.status) == (START_2, "running")
    assert (moved.well_tuned_max_lr, moved.region_min, moved.region_max) == (None, None, None)
    assert (moved.region_values, moved.region_contiguous, moved.best_run_id) == (None, None, None)
    assert moved.updated_at >= cycle.updated_at
    # the old start's trials answer another question: gone, not counted, not in the answer
    assert db.oracle.trials_of(cycle.id) == [] and db.oracle.trial_counts(cycle.id) == {}
    assert db.oracle.answers(cycle.study_id)[0].points == ()


def test_cycles_of_orders_by_cycle_and_separates_studies(db, cycle):
    second = db.oracle.upsert_cycle(cycle.study_id, 0, 100.0, START_2)
    other_study = db.studies.upsert("other", "", "0" * 64)
    db.oracle.upsert_cycle(other_study, 0, 100.0, START_1)
    assert [c.id for c in db.oracle.cycles_of(cycle.study_id)] == [second.id, cycle.id]
    assert [c.cycle for c in db.oracle.cycles_of(other_study)] == [0]


def test_finish_cycle_persists_the_region(db, url, cycle):
    values = [0.01, 0.03162, 0.1, 0.3162]
    db.oracle.finish_cycle(cycle.id, _answer(tuple(values), False, RUN_B))
    with OracleDB(url) as reopened:
        (row,) = reopened.oracle.cycles_of(cycle.study_id)
    assert row.status == "complete"
    assert (row.well_tuned_max_lr, row.region_min, row.region_max) == (0.1, 0.01, 0.3162)
    assert row.region_values == tuple(values)
    assert row.region_contiguous is False
    assert row.best_run_id == RUN_B
    with reopened.engine.connect() as c:
        stored = c.scalar(sa.text("SELECT region_values FROM scyc_cycles"))
    assert stored == "[0.01, 0.03162, 0.1, 0.3162]"


def _answer(values, contiguous, best_run_id):
    region = Region(0.1, 0.5, values, contiguous)
    return OracleAnswer(1, 80.0, (), region, best_run_id=best_run_id)


def test_oracle_answers_read_back_what_was_finished(db, cycle):
    record(db, cycle, RUN_A, max_lr=0.1)
    record(db, cycle, RUN_B, "failed", None, max_lr=0.2, error="boom")
    db.oracle.finish_cycle(cycle.id, _answer((0.1,), False, RUN_A))
    (answer,) = db.oracle.answers(cycle.study_id)
    assert [(p.max_lr, p.status) for p in answer.points] == [(0.1, "complete"), (0.2, "failed")]
    assert answer.region.best_val_acc == RECORD["val_acc"]
    assert (answer.well_tuned, answer.contiguous) == (0.1, False)
    assert (answer.start_artifact, answer.best_run_id) == (START_1, RUN_A)


def test_finish_cycle_validates_the_id_and_stores_a_failed_cycle(db, cycle):
    with pytest.raises(LookupError, match="no cycle with id 999"):
        db.oracle.finish_cycle(999, OracleAnswer(1, 80.0, (), None))
    failed = db.oracle.finish_cycle(cycle.id, OracleAnswer(1, 80.0, (), None))
    assert (failed.status, failed.region_values, failed.well_tuned_max_lr) == ("failed", (), None)


def test_record_trial_fills_the_columns_from_the_record(db, cycle):
    row = record(db, cycle, artifact=START_2, seed=2**62 + 1)
    assert isinstance(row, TrialRow)
    assert (row.run_id, row.cycle_id, row.max_lr, row.seed, row.status) == (
        RUN_A,
        cycle.id,
        0.1,
        2**62 + 1,
        "complete",
    )
    assert (row.val_acc, row.test_acc, row.final_val_acc, row.train_loss) == (
        0.875,
        0.8125,
        0.75,
        0.25,
    )
    assert (row.iterations_run, row.wall_time, row.artifact, row.error) == (60, 1.5, START_2, None)
    assert row.metrics == RECORD
    assert row.started_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert row.finished_at - row.started_at == timedelta(seconds=2.5)


def test_record_trial_is_idempotent_on_run_id(db, cycle):
    first = record(db, cycle)
    second = record(db, cycle, status="failed", rec=None, error="boom", max_lr=9.0)
    assert second == first
    diverged = record(db, cycle, RUN_B, status="diverged", rec={**RECORD, "val_acc": 0.1})
    assert record(db, cycle, RUN_B, status="complete") == diverged
    assert db.oracle.trial_counts(cycle.id) == {"complete": 1, "diverged": 1}


@pytest.mark.parametrize("earlier", ["failed", "stopped"])
def test_a_failed_or_stopped_run_is_replaced_by_its_retry(db, cycle, earlier):
    first = record(db, cycle, status=earlier, rec=None, error="worker died")
    retried = record(db, cycle, status="complete", artifact=START_2)
    assert retried.id == first.id
    assert (retried.status, retried.val_acc, retried.error) == ("complete", 0.875, None)
    assert (retried.artifact, retried.metrics) == (START_2, RECORD)
    assert db.oracle.trials_for([RUN_A]) == {RUN_A: retried}
    assert db.oracle.trial_counts(cycle.id) == {"complete": 1}


def test_a_failed_run_without_record(db, cycle):
    row = record(db, cycle, status="failed", rec=None, error="CUDA error: out of memory")
    assert (row.val_acc, row.test_acc, row.final_val_acc, row.train_loss) == (None,) * 4
    assert (row.iterations_run, row.wall_time, row.metrics) == (0, 2.5, None)
    assert row.error == "CUDA error: out of memory"


def test_a_diverged_runs_nan_loss_is_stored_as_null(db, cycle):
    diverged = {**RECORD, "train_loss": float("nan"), "val_acc": 0.1, "diverged": True}
    row = record(db, cycle, status="diverged", rec=diverged)
    assert row.train_loss is None
    assert row.val_acc == 0.1
    assert row.metrics["train_loss"] is None and row.metrics["diverged"] is True


def test_timestamps_come_back_as_aware_utc(db, cycle):
    tokyo = timezone(timedelta(hours=9))
    row = record(db, cycle, t0=datetime(2025, 6, 1, 9, 0, 0, tzinfo=tokyo))
    (again,) = db.oracle.trials_for([RUN_A]).values()
    assert again.started_at == row.started_at == datetime(2025, 6, 1, 0, 0, 0, tzinfo=UTC)
    assert again.started_at.tzinfo is UTC


def test_record_trial_rejects_naive_times_and_unknown_status(db, cycle):
    with pytest.raises(ValueError, match="started_at=2025-01-01T00:00:00 is naive"):
        record(db, cycle, t0=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="trial status 'done' is not one of"):
        record(db, cycle, status="done")
    assert db.oracle.trials_for([RUN_A]) == {}


def test_a_rejected_write_leaves_nothing(db, cycle):
    """Foreign keys are enforced (as on PostgreSQL) and the failed insert is rolled back."""
    with pytest.raises(IntegrityError):
        now = datetime.now(UTC)
        db.oracle.record_trial(999, TrialEntry(RUN_C, 0.1, 1, "complete", now, now, RECORD))
    assert db.oracle.trials_for([RUN_C]) == {}


def test_the_database_enforces_the_status_values(db, cycle):
    with pytest.raises(IntegrityError, match="ck_scyc_cycles_status"):
        with db.engine.begin() as c:
            c.execute(sa.text("UPDATE scyc_cycles SET status = 'paused'"))
    assert db.oracle.cycles_of(cycle.study_id)[0].status == "running"


def test_trials_for_returns_only_recorded_runs(db, cycle):
    record(db, cycle, RUN_A)
    record(db, cycle, RUN_B, status="diverged", max_lr=3.0)
    asked = [RUN_A, RUN_B, RUN_C] + [f"{i:064x}" for i in range(1200)]
    found = db.oracle.trials_for(iter(asked))
    assert sorted(found) == [RUN_A, RUN_B]
    assert (found[RUN_A].max_lr, found[RUN_B].max_lr) == (0.1, 3.0)
    assert db.oracle.trials_for([]) == {}


def test_trial_counts_and_trials_of(db, cycle):
    other = db.oracle.upsert_cycle(cycle.study_id, 2, 64.0, START_2)
    record(db, cycle, RUN_A, max_lr=0.3)
    record(db, cycle, RUN_B, status="diverged", max_lr=3.0)
    record(db, cycle, RUN_C, status="stopped", max_lr=0.01)
    record(db, other, "d" * 64, status="failed", rec=None, error="x")
    assert db.oracle.trial_counts(cycle.id) == {"complete": 1, "diverged": 1, "stopped": 1}
    assert db.oracle.trial_counts(other.id) == {"failed": 1}
    assert db.oracle.trial_counts(999) == {}
    assert [t.max_lr for t in db.oracle.trials_of(cycle.id)] == [0.01, 0.3, 3.0]


def test_rows_are_frozen(db, cycle):
    with pytest.raises(AttributeError):
        cycle.status = "complete"
