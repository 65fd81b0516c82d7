"""The gradient spread measured through the engine, and the auto schedule in run_pruning."""

import pytest

from scyc_tune.engine import cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.engine.gradients import Spread, gradient_scale, gradient_spread
from scyc_tune.runs.chain import run_pruning

AUTO = {
    "type": "auto",
    "max_lr_0": 0.05,
    "lr_min": 0.01,
    "lr_max": 0.5,
    "gradient_batches": 3,
    "b": 10,
    "c": 50,
    "d": "Nil",
}


def test_spread_is_deterministic_and_ignores_pruned_weights(tiny_study):
    study = tiny_study
    start = initial_state(study.data, study.model, study.seed)
    rms, quantile = Spread(32, 2), Spread(32, 2, "quantile")
    a = gradient_spread(start, study.data, study.model, study.seed, rms)
    assert a > 0 and a == gradient_spread(start, study.data, study.model, study.seed, rms)
    q = gradient_spread(start, study.data, study.model, study.seed, quantile)
    assert q > 0 and q != a
    assert gradient_scale(start, study.data, study.model, study.seed, rms) == 1.0


@pytest.mark.parametrize("batchnorm", [False, True])
def test_auto_is_referenced_to_the_trained_unpruned_network(study_factory, batchnorm):
    """Issue 14, item 5: s_0 is the spread of cycle 0's trained end state (train-mode BN
    statistics), not of the initialisation; the ratio recomputed by hand gives cycle 1's
    max_lr, and it is far from the initialisation's, which counts the fall of the loss."""
    study = study_factory(schedules={"auto": AUTO}, schedule="auto", model={"batchnorm": batchnorm})
    assert study.schedule_params("auto").reference == "trained"
    records = run_pruning(study, cycles=3, device="cpu")
    assert records[0].max_lr == pytest.approx(0.05)
    start = initial_state(study.data, study.model, study.seed)
    trained = train_cycle(cycle_job(study, 0), start, "cpu").state
    start1 = next_start_state(trained, study.pruning, study.data, study.model, study.seed, 32)
    with pytest.raises(ValueError, match="needs cycle 0's trained state"):
        cycle_job(study, 1, start=start1)
    job1 = cycle_job(study, 1, start=start1, reference=trained)
    spread = Spread(batch_size=32, num_batches=3, batchnorm="batch")
    s = lambda state: gradient_spread(state, study.data, study.model, study.seed, spread)  # noqa: E731
    assert job1.gradient_scale == pytest.approx(s(trained) / s(start1), rel=1e-9)
    assert records[1].max_lr == pytest.approx(min(0.5, max(0.01, 0.05 * s(trained) / s(start1))))
    assert s(start) / s(start1) > 3 * (s(trained) / s(start1))  # the initialisation's is inflated
    assert all(0.01 <= r.max_lr <= 0.5 for r in records)


def test_auto_referenced_to_the_initialisation_as_before(study_factory):
    study = study_factory(schedules={"auto": {**AUTO, "reference": "init"}}, schedule="auto")
    records = run_pruning(study, cycles=3, device="cpu")
    start = initial_state(study.data, study.model, study.seed)
    s1 = train_cycle(cycle_job(study, 0), start, "cpu").state
    start1 = next_start_state(s1, study.pruning, study.data, study.model, study.seed, 32)
    job1 = cycle_job(study, 1, start=start1)  # no reference needed
    spread = Spread(batch_size=32, num_batches=3, batchnorm="batch")
    ratio = gradient_spread(start, study.data, study.model, study.seed, spread) / gradient_spread(
        start1, study.data, study.model, study.seed, spread
    )
    assert job1.gradient_scale == pytest.approx(ratio, rel=1e-9)
    assert records[1].max_lr == pytest.approx(min(0.5, max(0.01, 0.05 * ratio)), rel=1e-9)


def test_auto_job_without_start_state_is_refused(study_factory):
    study = study_factory(schedules={"auto": AUTO}, schedule="auto")
    with pytest.raises(ValueError, match="start state"):
        cycle_job(study, 1)


def test_auto_measures_a_batchnorm_network_with_batch_statistics(study_factory):
    """Issue 14: at initialisation a BN network's running statistics are the identity, so its
    eval-mode gradients are not those training sees. ``batchnorm = "batch"`` (auto's default)
    measures with each batch's statistics, exactly what a train-mode forward gives, and leaves
    the state untouched; ``"running"`` is the eval-mode spread."""
    import torch
    import torch.nn.functional as F

    from scyc_tune.data import load_splits
    from scyc_tune.engine.gradients import load_probe
    from scyc_tune.models import build_model

    study = study_factory(model={"batchnorm": True})
    start = initial_state(study.data, study.model, study.seed)
    before = start.digest()
    running = gradient_spread(start, study.data, study.model, study.seed, Spread(32, 3))
    train_mode = gradient_spread(
        start, study.data, study.model, study.seed, Spread(32, 3, batchnorm="batch")
    )
    assert start.digest() == before  # the probe's copy moved its running stats, not the state
    # by hand: the same three batches through a train-mode copy
    probe = load_probe(start, study.data, study.model, study.seed, "gradient-spread", 32, "cpu")
    splits = load_splits(study.data, study.seed)
    net = build_model(study.model, splits.input_shape, splits.num_classes)
    net.load_state_dict(start.weights)
    net.train()
    spreads = []
    for _ in range(3):
        x, y = next(probe.batches)
        params = [net.get_parameter(n) for n in probe.mask.names]
        grads = torch.autograd.grad(F.cross_entropy(net(x), y), params)
        flat = torch.cat([g.double().reshape(-1) for g in grads])
        spreads.append(float(flat.square().mean().sqrt()))
    assert train_mode == pytest.approx(sum(spreads) / 3, rel=1e-6)
    assert train_mode != pytest.approx(running, rel=1e-3)  # eval mode differs on a BN net
    # auto measures with batch statistics by default, and its job records the ratio
    study = study_factory(model={"batchnorm": True}, schedules={"auto": AUTO}, schedule="auto")
    assert study.schedule_params("auto").batchnorm == "batch"


def test_the_hidden_representation_spread_is_every_relus_output_on_the_same_batches(study_factory):
    """Issue 14, item 5: ``spread = "hidden"`` measures the post-ReLU outputs of every hidden
    layer (Section 3.2's mechanism), by hand the same; auto's cycle-1 max_lr follows their
    ratio, and the default (the gradients) keeps its run ids."""
    import torch

    from scyc_tune.data import load_splits
    from scyc_tune.engine.gradients import load_probe
    from scyc_tune.models import build_model

    study = study_factory(schedules={"auto": {**AUTO, "spread": "hidden"}}, schedule="auto")
    start = initial_state(study.data, study.model, study.seed)
    hidden = Spread(32, 3, source="hidden")
    measured = gradient_spread(start, study.data, study.model, study.seed, hidden)
    probe = load_probe(start, study.data, study.model, study.seed, "gradient-spread", 32, "cpu")
    splits = load_splits(study.data, study.seed)
    net = build_model(study.model, splits.input_shape, splits.num_classes)
    net.load_state_dict(start.weights)
    net.eval()
    outputs, spreads = [], []
    hooks = [
        m.register_forward_hook(lambda _m, _i, out: outputs.append(out.reshape(-1)))
        for m in net.modules()
        if isinstance(m, torch.nn.ReLU)
    ]
    for _ in range(3):
        x, _y = next(probe.batches)
        outputs.clear()
        with torch.no_grad():
            net(x)
        flat = torch.cat([o.double() for o in outputs])
        spreads.append(float(flat.square().mean().sqrt()))
    for h in hooks:
        h.remove()
    assert len(outputs) == len(study.model.hidden)  # one capture per hidden layer
    assert measured == pytest.approx(sum(spreads) / 3, rel=1e-9)
    assert measured != gradient_spread(start, study.data, study.model, study.seed, Spread(32, 3))

    records = run_pruning(study, cycles=2, device="cpu")
    trained = train_cycle(cycle_job(study, 0), start, "cpu").state
    start1 = next_start_state(trained, study.pruning, study.data, study.model, study.seed, 32)
    job1 = cycle_job(study, 1, start=start1, reference=trained)
    spread = Spread(32, 3, batchnorm="batch", source="hidden")
    s = lambda state: gradient_spread(state, study.data, study.model, study.seed, spread)  # noqa: E731
    assert job1.gradient_scale == pytest.approx(s(trained) / s(start1), rel=1e-9)
    assert records[1].max_lr == pytest.approx(min(0.5, max(0.01, 0.05 * s(trained) / s(start1))))
    # the default is left out of the identity, so auto's gradient runs keep their ids
    explicit = study_factory(schedules={"auto": {**AUTO, "spread": "gradient"}}, schedule="auto")
    assert "spread" not in explicit.schedule_params("auto").model_dump(exclude_defaults=True)
    assert study.schedule_params("auto").model_dump(exclude_defaults=True)["spread"] == "hidden"
