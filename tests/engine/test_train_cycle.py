"""train_cycle: deterministic, picklable inputs, masks kept, divergence recorded not raised."""

import io
import math
import pickle

import pytest
import torch

from scyc_tune.engine import CycleState, cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.engine.device import resolve_device
from scyc_tune.errors import UsageError
from scyc_tune.pruning import Mask


def _start(study):
    return initial_state(study.data, study.model, study.seed)


def test_same_inputs_same_result_on_cpu(tiny_study):
    start = _start(tiny_study)
    job = cycle_job(tiny_study, 0)
    a = train_cycle(job, start, "cpu")
    b = train_cycle(pickle.loads(pickle.dumps(job)), pickle.loads(pickle.dumps(start)), "cpu")
    assert a.state.digest() == b.state.digest()
    ra, rb = a.record.to_dict(), b.record.to_dict()
    ra.pop("wall_time"), rb.pop("wall_time")
    assert ra == rb
    assert a.record.iterations_run == 60 and not a.record.diverged
    assert a.record.val_acc > 0.5  # learns digits well above chance (0.1) in 60 steps


def test_other_seed_other_result(study_factory):
    s1, s2 = study_factory(seed=1), study_factory(seed=2)
    r1 = train_cycle(cycle_job(s1, 0), _start(s1), "cpu")
    r2 = train_cycle(cycle_job(s2, 0), _start(s2), "cpu")
    assert r1.state.digest() != r2.state.digest()


def test_record_reports_schedule_max_lr_and_lambda(tiny_study):
    trained = train_cycle(cycle_job(tiny_study, 0, "scyc"), _start(tiny_study), "cpu")
    start1 = next_start_state(
        trained.state, tiny_study.pruning, tiny_study.data, tiny_study.model, tiny_study.seed
    )
    result = train_cycle(cycle_job(tiny_study, 1, "scyc"), start1, "cpu")
    # q = 0, p = 0.5, m = 1: gamma = 0.5, max_lr = 0.05 / 2 + 0.05
    assert result.record.max_lr == pytest.approx(0.075)
    assert result.record.percent_remaining == pytest.approx(50.0, abs=0.01)
    assert result.record.cycle == 1
    # every unit of the FC net is still fed and read: all alive weights are effective
    assert result.record.percent_effective == pytest.approx(result.record.percent_remaining)


def test_pruned_weights_stay_zero_through_training(tiny_study):
    trained = train_cycle(cycle_job(tiny_study, 0), _start(tiny_study), "cpu")
    start1 = next_start_state(
        trained.state, tiny_study.pruning, tiny_study.data, tiny_study.model, tiny_study.seed
    )
    end1 = train_cycle(cycle_job(tiny_study, 1), start1, "cpu").state
    pruned = 0
    for name, keep in Mask.from_state_dict(end1.mask).masks.items():
        assert torch.all(end1.weights[name][~keep] == 0)
        pruned += int((~keep).sum())
        assert torch.equal(keep, Mask.from_state_dict(start1.mask)[name])
    assert pruned > 0


def test_divergence_is_recorded_with_chance_accuracy(tiny_study):
    result = train_cycle(cycle_job(tiny_study, 0, "huge"), _start(tiny_study), "cpu")
    assert result.record.diverged
    assert result.state is None
    assert result.record.val_acc == result.record.test_acc == pytest.approx(0.1)
    assert result.record.iterations_run <= 20
    assert not math.isfinite(result.record.train_loss)


def test_state_round_trips_through_weights_only_load(tiny_study):
    state = _start(tiny_study)
    buffer = io.BytesIO()
    torch.save(state.to_dict(), buffer)
    buffer.seek(0)
    loaded = CycleState.from_dict(torch.load(buffer, weights_only=True))
    assert loaded.digest() == state.digest()


def test_device_selection():
    assert resolve_device("cpu").type == "cpu"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    with pytest.raises(UsageError, match="unknown device"):
        resolve_device("tpu-ish")
    if not torch.cuda.is_available():
        with pytest.raises(UsageError, match="no CUDA GPU"):
            resolve_device("cuda")


def test_auto_follows_the_gpus_ray_assigned():
    """In a Ray trial 'auto' is CUDA only when Ray gave the trial a GPU (or a share of one)."""
    assert resolve_device("auto", assigned=[]).type == "cpu"  # on a GPU machine too
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto", assigned=["0"]).type == expected
    assert resolve_device("cpu", assigned=["0"]).type == "cpu"  # a study's choice stands


@pytest.mark.parametrize("variant", ["fc", "fc-bn-momentum", "rewind-capture"])
def test_a_cycle_resumed_from_any_checkpoint_is_bitwise_the_uninterrupted_one(
    study_factory, variant
):
    """Issue 15, item 5: ``on_checkpoint`` snapshots every ``checkpoint_every`` evaluations;
    resuming from each gives the record and the trained state (weights, BatchNorm buffers,
    the captured rewind point) of the run that was never cut, to the bit, on CPU."""
    training = {"iterations": 130, "eval_every": 10, "checkpoint_every": 3}
    model = {"name": "fc", "hidden": [32, 32]}
    if variant == "fc-bn-momentum":
        model["batchnorm"] = True
        training["momentum"] = 0.9
    study = study_factory(model=model, training=training)
    start = _start(study)
    job = cycle_job(study, 0)
    if variant == "rewind-capture":
        job = job.model_copy(update={"capture_iteration": 45})
    snapshots = []
    full = train_cycle(job, start, "cpu", on_checkpoint=snapshots.append)
    assert [s["done"] for s in snapshots] == [30, 60, 90, 120]  # never at the cycle's end
    want = full.record.to_dict()
    want.pop("wall_time")
    for snapshot in snapshots:
        resumed = train_cycle(job, start, "cpu", resume=snapshot)
        got = resumed.record.to_dict()
        got.pop("wall_time")
        assert got == want
        assert resumed.state.digest() == full.state.digest()
    # the snapshots were taken, not shared: training on did not change them
    again = train_cycle(job, start, "cpu", resume=snapshots[0])
    assert again.state.digest() == full.state.digest()


def test_checkpoint_every_0_takes_no_snapshot_and_is_no_part_of_the_run_id(study_factory):
    from scyc_tune.runs.identity import run_id

    off = study_factory(training={"checkpoint_every": 0})
    on = study_factory(training={"checkpoint_every": 7})
    snapshots = []
    train_cycle(cycle_job(off, 0), _start(off), "cpu", on_checkpoint=snapshots.append)
    assert snapshots == []
    digest = _start(off).digest()
    assert run_id(cycle_job(off, 0), digest) == run_id(cycle_job(on, 0), digest)
