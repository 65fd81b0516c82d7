"""auto's reference (issue 14, item 5): the trained unpruned network, found in the run index
whoever trained it: the auto chain's own cycle 0, or the warmup it amounts to there (the
oracle's grid point at max_lr_0); a clear line where it is not stored."""

import pytest

from scyc_tune.engine import cycle_job, initial_state, train_cycle
from scyc_tune.errors import ScycError
from scyc_tune.runs.identity import run_id
from scyc_tune.runs.reference import trained_reference
from scyc_tune.store import ArtifactStore
from scyc_tune.store.runs import RunIndex
from tests.engine.conftest import make_study

AUTO = {"type": "auto", "max_lr_0": 0.05, "lr_min": 0.01, "lr_max": 0.5,
        "gradient_batches": 2, "b": 10, "c": 50, "d": "Nil"}  # fmt: skip


@pytest.mark.parametrize("trained_as", ["auto", "warmup"])
def test_the_reference_is_cycle_0_trained_by_whoever_trained_it(tmp_path, trained_as):
    study = make_study(schedules={"auto": AUTO}, schedule="auto")
    auto = study.schedule_params("auto")
    store, index = ArtifactStore(tmp_path), RunIndex(tmp_path)
    with pytest.raises(ScycError, match="auto's reference, cycle 0 trained with max_lr_0"):
        trained_reference(study, auto, store, index)
    form = auto if trained_as == "auto" else auto.as_warmup_at_cycle_0()
    assert auto.as_warmup_at_cycle_0().a == 0.05
    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0, schedule=form, start=start)
    result = train_cycle(job, start, "cpu")
    key = store.put(result.state)
    index.put(run_id(job, start.digest()), result.record.to_dict(), key)
    got = trained_reference(study, auto, store, index)
    assert got.digest() == result.state.digest() == key
    # the two forms are the same training, bit for bit
    other = auto.as_warmup_at_cycle_0() if trained_as == "auto" else auto
    twin = train_cycle(cycle_job(study, 0, schedule=other, start=start), start, "cpu")
    assert twin.state.digest() == key


def test_the_reference_is_part_of_the_identity_and_init_keeps_the_old_ids():
    """Run ids and comparison keys hash ``model_dump(exclude_defaults=True)``: the default,
    'trained', is named there (else its runs would take the ids of the runs auto made before,
    referenced to the initialisation), and 'init' hashes as before the field existed."""
    from scyc_tune.compare.keys import cycle_keys
    from scyc_tune.schedules.auto import AutoParams

    assert AutoParams().model_dump(exclude_defaults=True) == {"reference": "trained"}
    assert AutoParams(reference="init").model_dump(exclude_defaults=True) == {}
    assert AutoParams(reference="init").model_dump()["reference"] == "init"  # not a dump
    study = make_study(schedules={"auto": AUTO}, schedule="auto")
    trained = study.schedule_params("auto")
    init = trained.model_copy(update={"reference": "init"})
    assert cycle_keys(study, 3, [trained] * 2) != cycle_keys(study, 3, [init] * 2)
    start = initial_state(study.data, study.model, study.seed)
    ids = {run_id(cycle_job(study, 0, schedule=p, start=start), start.digest())
           for p in (trained, init)}  # fmt: skip
    assert len(ids) == 2


def test_for_imp_the_reference_is_cycle_0s_rewind_point(tmp_path):
    """IMP's cycles start from the rewind point, pruned: auto's reference is the unpruned
    network at that point (cycle 0's capture at ``rewind_iteration``), not its end."""
    study = make_study(schedules={"auto": AUTO}, schedule="auto",
                       pruning={"method": "imp", "rewind_iteration": 5})  # fmt: skip
    auto = study.schedule_params("auto")
    store, index = ArtifactStore(tmp_path), RunIndex(tmp_path)
    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0, schedule=auto, start=start)
    result = train_cycle(job, start, "cpu")
    index.put(run_id(job, start.digest()), result.record.to_dict(), store.put(result.state))
    got = trained_reference(study, auto, store, index)
    rewind = result.state.rewind_weights
    assert rewind is not None and got.weights.keys() == rewind.keys()
    assert all(got.weights[k].equal(rewind[k]) for k in rewind)
    assert any(not got.weights[k].equal(result.state.weights[k]) for k in rewind)
    assert got.digest() != result.state.digest()
    plain = make_study(schedules={"auto": AUTO}, schedule="auto")  # no rewinding: the end
    job = cycle_job(plain, 0, schedule=auto, start=start)
    trained = train_cycle(job, start, "cpu")
    index.put(run_id(job, start.digest()), trained.record.to_dict(), store.put(trained.state))
    assert trained_reference(plain, auto, store, index).digest() == trained.state.digest()
