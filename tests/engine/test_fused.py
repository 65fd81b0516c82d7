"""The fused engine: K members trained as one stacked model. A member's result is its own:
bitwise the same in any population (reordered, resized, with a diverging neighbour), and
close to what ``train_cycle`` gives it alone."""

import math

import pytest
import torch

from scyc_tune.engine import cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.engine.fused import NotFusable, train_population
from scyc_tune.schedules.warmup import WarmupParams

WARM = {"type": "warmup", "a": 0.05, "b": 5, "c": 15, "d": "Nil", "e": "Nil"}


def jobs_for(study, lrs, cycle=0, start=None, seeds=None):
    out = []
    for i, lr in enumerate(lrs):
        s = study if seeds is None else study.model_copy(update={"seed": seeds[i]})
        out.append(cycle_job(s, cycle, schedule=WarmupParams(**{**WARM, "a": lr}), start=start))
    return out


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def largest_gap(a: dict, b: dict) -> float:
    return max((a[k].double() - b[k].double()).abs().max().item() for k in a)


@pytest.fixture(params=["fc", "fc-bn", "resnet20"])
def study(request, study_factory):
    training = {"iterations": 20, "batch_size": 16, "eval_every": 10}
    if request.param == "resnet20":
        # a reduced ResNet-20 (4 to 16 channels) on CIFAR-shaped random images: see `images`
        return study_factory(
            model={"name": "resnet20", "width": 0.25},
            data={"name": "cifar10", "augment": True},
            training=training,
        )
    return study_factory(
        model={"name": "fc", "hidden": [32, 32], "batchnorm": request.param == "fc-bn"},
        training=training,
    )


@pytest.fixture(autouse=True)
def images(request, monkeypatch, tmp_path):
    """ResNet-20's CIFAR-10: 240 random images in the real format (python pickles)."""
    if "resnet20" not in request.node.name:
        return
    from tests.matrix.conftest import write_cifar10

    write_cifar10(tmp_path, per_file=40)
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path))


def start_of(study):
    return initial_state(study.data, study.model, study.seed)


def conv(study) -> bool:
    return study.model.name != "fc"


def test_a_members_result_does_not_depend_on_its_population(study):
    """Bitwise for the FC networks. ResNet-20's batched (grouped) convolutions round
    differently for different K: one step agrees to 1e-6, and this random-label toy problem
    amplifies that (0.5 after 20 steps), so on CPU `auto` trains conv networks one member at a
    time (engine "single"); a population's members with the same inputs stay bitwise equal."""
    if conv(study):
        study = study.model_copy(
            update={"training": study.training.model_copy(update={"iterations": 1})}
        )
    start = start_of(study)
    lrs = [0.02, 0.05, 0.1, 0.2]
    four = train_population(jobs_for(study, lrs), [start] * 4)
    shuffled = train_population(jobs_for(study, [0.2, 0.05, 0.02]), [start] * 3)
    alone = train_population(jobs_for(study, [0.05]), [start])
    pairs = [(four[1], alone[0]), (four[1], shuffled[1]), (four[0], shuffled[2])]
    pairs.append((four[3], shuffled[0]))
    for a, b in pairs:
        if conv(study):
            assert largest_gap(a.state.weights, b.state.weights) < 1e-6
            continue
        assert same(a.state.weights, b.state.weights)
        assert a.record.to_dict() | {"wall_time": 0} == b.record.to_dict() | {"wall_time": 0}
    twins = train_population(jobs_for(study, [0.05, 0.05]), [start] * 2)
    assert same(twins[0].state.weights, twins[1].state.weights)
    if "bn" in study.model.model_dump_json() or study.model.name == "resnet20":
        means = [v for k, v in four[0].state.weights.items() if k.endswith("running_mean")]
        assert means and all(v.abs().sum() > 0 for v in means)  # BN statistics were updated
        if not conv(study):  # after one step (conv) the statistics are still the start's
            other = [v for k, v in four[3].state.weights.items() if k.endswith("running_mean")]
            assert not torch.equal(means[1], other[1])  # and are each member's own


def test_members_agree_with_train_cycle_alone(study):
    """Not bitwise (batched matmuls round differently), but to float32's precision after 20
    steps (one step for ResNet-20, see above), with the same record shape; the exact records
    may differ by an example."""
    if conv(study):
        study = study.model_copy(
            update={"training": study.training.model_copy(update={"iterations": 1})}
        )
    start = start_of(study)
    lrs = [0.02, 0.1]
    fused = train_population(jobs_for(study, lrs), [start] * 2)
    for job, f in zip(jobs_for(study, lrs), fused, strict=True):
        alone = train_cycle(job, start)
        assert largest_gap(f.state.weights, alone.state.weights) < (1e-6 if conv(study) else 1e-4)
        assert f.record.iterations_run == alone.record.iterations_run
        assert f.record.percent_remaining == alone.record.percent_remaining
        assert abs(f.record.val_acc - alone.record.val_acc) <= 0.02
        assert math.isclose(f.record.train_loss, alone.record.train_loss, rel_tol=1e-4)


def test_a_diverging_member_is_frozen_and_the_others_go_on(study_factory):
    study = study_factory(training={"iterations": 20, "batch_size": 16, "eval_every": 5})
    start = start_of(study)
    with_it = train_population(jobs_for(study, [0.05, 1e6, 0.1]), [start] * 3)
    without = train_population(jobs_for(study, [0.05, 0.1]), [start] * 2)
    assert with_it[1].state is None and with_it[1].record.diverged
    assert with_it[1].record.iterations_run == 5
    assert with_it[1].record.val_acc == pytest.approx(0.1)  # chance on 10 classes
    for a, b in ((with_it[0], without[0]), (with_it[2], without[1])):
        assert not a.record.diverged
        assert same(a.state.weights, b.state.weights)


def test_each_member_keeps_its_own_mask(study_factory):
    """Members pruned differently (different starts) stay inside their own masks."""
    study = study_factory(training={"iterations": 20, "batch_size": 16, "eval_every": 10})
    start = start_of(study)
    trained = train_population(jobs_for(study, [0.02, 0.2]), [start] * 2)
    starts = [
        next_start_state(t.state, study.pruning, study.data, study.model, study.seed)
        for t in trained
    ]
    assert not same(starts[0].mask, starts[1].mask)
    jobs = [jobs_for(study, [0.05], cycle=1, start=s)[0] for s in starts]
    out = train_population(jobs, starts)
    for s, o in zip(starts, out, strict=True):
        for key, m in s.mask.items():
            name = key.split("/", 1)[1]
            w = o.state.weights[name]
            assert torch.all(w[~m] == 0)
        assert o.record.percent_remaining == pytest.approx(50.0)
    alone = train_population([jobs[1]], [starts[1]])
    assert same(out[1].state.weights, alone[0].state.weights)


def test_members_of_different_seeds_draw_their_own_batches(study_factory):
    study = study_factory(training={"iterations": 20, "batch_size": 16, "eval_every": 10})
    mixed = train_population(
        jobs_for(study, [0.05, 0.05], seeds=[3, 4]),
        [start_of(study), start_of(study.model_copy(update={"seed": 4}))],
    )
    alone = train_population(
        jobs_for(study, [0.05], seeds=[4]), [start_of(study.model_copy(update={"seed": 4}))]
    )
    assert same(mixed[1].state.weights, alone[0].state.weights)
    assert not same(mixed[0].state.weights, mixed[1].state.weights)


@pytest.mark.parametrize("model", ["fc", "resnet20"])
def test_a_population_resumed_from_any_checkpoint_is_bitwise_the_uninterrupted_one(
    study_factory, model, monkeypatch, tmp_path
):
    """Issue 15, item 5, for the fused engine: one snapshot of the whole population every
    ``checkpoint_every`` evaluations (stacked weights, BatchNorm buffers and momenta, each
    seed's batch stream, a diverged member's frozen bookkeeping, a rewind point captured
    mid-cycle); resuming from each gives every member's record and state to the bit."""
    training = {"iterations": 60, "batch_size": 16, "eval_every": 5, "checkpoint_every": 3,
                "momentum": 0.9, "engine": "fused"}  # fmt: skip
    if model == "resnet20":
        from tests.matrix.conftest import write_cifar10

        write_cifar10(tmp_path, per_file=40)
        monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path))
        training.update(iterations=10, checkpoint_every=1)  # one snapshot, at 5
        net, data = {"name": "resnet20", "width": 0.25}, {"name": "cifar10", "augment": True}
        study = study_factory(model=net, data=data, training=training)
    else:
        study = study_factory(model={"name": "fc", "hidden": [32, 32], "batchnorm": True},
                              training=training)  # fmt: skip
    other = study.model_copy(update={"seed": study.seed + 1})
    jobs = jobs_for(study, [0.05, 1e6, 0.1, 0.05], seeds=[study.seed] * 3 + [other.seed])
    jobs[2] = jobs[2].model_copy(update={"capture_iteration": 7})
    starts = [start_of(study)] * 3 + [start_of(other)]
    snapshots = []
    full = train_population(jobs, starts, "cpu", on_checkpoint=snapshots.append)
    every = study.training.eval_every * study.training.checkpoint_every
    iterations = study.training.iterations
    assert [s["done"] for s in snapshots] == list(range(every, iterations, every))
    assert full[1].record.diverged and not full[0].record.diverged

    def outcome(results):
        records = [{k: v for k, v in r.record.to_dict().items() if k != "wall_time"}
                   for r in results]  # fmt: skip
        return records, [None if r.state is None else r.state.digest() for r in results]

    want = outcome(full)
    for snapshot in snapshots:
        assert outcome(train_population(jobs, starts, "cpu", resume=snapshot)) == want
    # the snapshots were taken, not shared: training on did not change them
    assert outcome(train_population(jobs, starts, "cpu", resume=snapshots[0])) == want
    with pytest.raises(ValueError, match="a snapshot of 4 members for 2"):
        train_population(jobs[:2], starts[:2], "cpu", resume=snapshots[0])


def test_jobs_that_cannot_share_a_model_are_refused(study_factory):
    study = study_factory()
    adam = study_factory(training={"optimizer": "adam"})
    start = start_of(study)
    with pytest.raises(NotFusable, match="SGD only"):
        train_population(jobs_for(adam, [0.05]), [start])
    with pytest.raises(NotFusable, match="differ in cycle"):
        train_population(jobs_for(study, [0.05]) + jobs_for(study, [0.05], cycle=1), [start] * 2)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA (none on this machine)")
def test_a_population_on_cuda_agrees_with_cpu(study):
    """The GPU path of the fused engine: same members, same start, CPU and CUDA close."""
    study = study.model_copy(
        update={"training": study.training.model_copy(update={"iterations": 1})}
    )
    start = start_of(study)
    jobs = jobs_for(study, [0.02, 0.1])
    cpu = train_population(jobs, [start] * 2, device="cpu")
    cuda = train_population(jobs, [start] * 2, device="cuda")
    for a, b in zip(cpu, cuda, strict=True):
        assert largest_gap(a.state.weights, b.state.weights) < 1e-4
        assert b.record.device.startswith("cuda")
