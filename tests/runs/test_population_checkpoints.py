"""Mid-cycle snapshots through the run layer (issue 15, item 5): each engine's snapshots reach
``on_checkpoint`` under the key the trainable saves them by, and a population handed that
snapshot in ``resume`` continues from it to the uninterrupted result; the fused engine's key
names its whole stacked population (``fused_key``), so another population never takes it."""

import pytest

from scyc_tune.engine import initial_state
from scyc_tune.runs.identity import TRAINING_LOG_ENV
from scyc_tune.runs.population import Member, fused_key, train_population
from tests.engine.conftest import make_study


@pytest.mark.parametrize("engine", ["fused", "single"])
def test_a_population_resumes_from_the_snapshot_under_its_key(tmp_path, monkeypatch, engine):
    study = make_study(training={"engine": engine, "iterations": 120, "eval_every": 10,
                                 "checkpoint_every": 4, "momentum": 0.9})  # fmt: skip
    warm = study.schedules["warm"]
    members = [Member(f"m{i}", warm.model_copy(update={"a": a})) for i, a in
               enumerate([0.02, 0.05, 0.1])]  # fmt: skip
    start = initial_state(study.data, study.model, study.seed)
    seen = []

    def keep(member, key, snapshot):
        seen.append((member.key, key, snapshot))

    full = train_population(study, 0, members, [start], str(tmp_path / "full"), on_checkpoint=keep)
    rids = [t.result.run_id for t in full]
    if engine == "fused":  # one stacked model: one snapshot of all three, every 40 iterations
        assert [(k, key, s["done"]) for k, key, s in seen] == [
            ("m0", fused_key(rids), 40),
            ("m0", fused_key(rids), 80),
        ]
    else:  # one member after another: each member's own
        assert [(k, key, s["done"]) for k, key, s in seen] == [
            (f"m{i}", rid, done) for i, rid in enumerate(rids) for done in (40, 80)
        ]
    log = tmp_path / "trainings.log"
    monkeypatch.setenv(TRAINING_LOG_ENV, str(log))
    resume = {key: snap for _, key, snap in seen if snap["done"] == 80}
    resumed = train_population(study, 0, members, [start], str(tmp_path / "resumed"),
                               resume=resume)  # fmt: skip
    assert [t.result.artifact for t in resumed] == [t.result.artifact for t in full]
    assert [t.result.record.val_acc for t in resumed] == [t.result.record.val_acc for t in full]
    assert log.read_text().split() == [f"{rid}@80" for rid in rids]
    if engine == "fused":  # two of the three are another population: the snapshot is not theirs
        log.unlink()
        two = train_population(study, 0, members[:2], [start], str(tmp_path / "two"),
                               resume=resume)  # fmt: skip
        assert log.read_text().split() == rids[:2]
        assert [t.result.artifact for t in two] == [t.result.artifact for t in full[:2]]
