"""`scyc-tune oracle` and the report show the same Table 3: the answer the oracle computes and
the one the store gives back build the same cells, with one contiguity rule. Checked on a
cycle whose feasible region has a failed, a diverged and a stopped point inside it."""

from datetime import UTC, datetime

from scyc_tune.oracle.load import load_oracle
from scyc_tune.oracle.region import GridPoint, feasible_region
from scyc_tune.report.oracle_table import table3
from scyc_tune.report.tables import oracle_markdown, oracle_terminal
from scyc_tune.report.tables._oracle_cells import oracle_rows
from scyc_tune.store import OracleDB
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.store.entries import TrialEntry
from scyc_tune.study import parse_study

STUDY = parse_study(
    {
        "name": "agree",
        "schedule": "warm",
        "data": {"name": "digits"},
        "model": {"name": "fc", "hidden": [8]},
        "pruning": {"rate": 0.5, "cycles": 1},
        "training": {"iterations": 60, "batch_size": 16, "eval_every": 10},
        "schedules": {"warm": {"type": "warmup", "a": 0.03, "b": 5, "c": 50, "d": "Nil"}},
        "oracle": {"schedule": "warm", "grid": [0.02, 0.04, 0.08, 0.16, 0.32]},
    }
)
POINTS = (
    GridPoint(0.02, 0.500, "complete"),
    GridPoint(0.04, None, "failed"),
    GridPoint(0.08, 0.100, "diverged"),
    GridPoint(0.16, None, "stopped"),
    GridPoint(0.32, 0.502, "complete"),
)


def test_the_oracle_table_and_the_report_agree_on_every_cell(tmp_path):
    region = feasible_region(POINTS, STUDY.oracle.tolerance, STUDY.oracle.tolerance_mode)
    assert region.values == (0.02, 0.32) and not region.contiguous
    live = OracleAnswer(0, 100.0, POINTS, region, "0" * 64, "a" * 64)

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    t = datetime(2026, 1, 1, tzinfo=UTC)
    with OracleDB(url) as db:
        sid = db.studies.upsert("agree", "", "0" * 64)
        row = db.oracle.upsert_cycle(sid, 0, 100.0, "0" * 64)
        for i, p in enumerate(POINTS):
            record = None if p.val_acc is None else {"val_acc": p.val_acc}
            rid = "a" * 64 if p.max_lr == 0.32 else f"{i:064x}"
            db.oracle.record_trial(row.id, TrialEntry(rid, p.max_lr, 0, p.status, t, t, record))
        db.oracle.finish_cycle(row.id, live)
        stored = load_oracle(db, STUDY)

    assert stored[0].points == POINTS and stored[0].region == region
    shown = table3(STUDY, [live], 1)  # what `scyc-tune oracle` prints
    report = table3(STUDY, stored, STUDY.pruning.cycles)  # what the report writes
    assert oracle_rows(shown) == oracle_rows(report)
    assert "| Feasible LR region | [2, 32]* |  |" in oracle_markdown(report)
    terminal = oracle_terminal(shown)
    cells = [[c._cells[i] for c in terminal.columns] for i in range(terminal.row_count)]
    assert cells[1] == ["Feasible LR region", "[2, 32]*", ""]
