"""run_pruning end to end: nested masks, lambda per cycle, IMP rewinding, gradient pruning."""

import pytest
import torch

from scyc_tune.engine import cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.pruning import Mask
from scyc_tune.runs.chain import run_pruning


def test_three_cycles_lambda_and_divergence_stop(tiny_study):
    records = run_pruning(tiny_study, cycles=3, device="cpu")
    assert [r.cycle for r in records] == [0, 1, 2]
    assert [r.percent_remaining for r in records] == pytest.approx([100, 50, 25], abs=0.01)
    diverged = run_pruning(tiny_study, schedule_label="huge", cycles=3, device="cpu")
    assert len(diverged) == 1 and diverged[0].diverged


def test_imp_rewinds_surviving_weights_to_init(study_factory):
    study = study_factory(pruning={"method": "imp"})
    start = initial_state(study.data, study.model, study.seed)
    trained = train_cycle(cycle_job(study, 0), start, "cpu").state
    nxt = next_start_state(trained, study.pruning, study.data, study.model, study.seed)
    for name, keep in Mask.from_state_dict(nxt.mask).masks.items():
        assert torch.equal(nxt.weights[name][keep], start.weights[name][keep])
        assert torch.all(nxt.weights[name][~keep] == 0)
    # biases (not prunable) are rewound too
    bias = next(n for n in nxt.weights if n.endswith("bias"))
    assert torch.equal(nxt.weights[bias], start.weights[bias])


def test_imp_rewind_to_iteration_k(study_factory):
    study = study_factory(pruning={"method": "imp", "rewind_iteration": 5})
    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0)
    assert job.capture_iteration == 5
    trained = train_cycle(job, start, "cpu").state
    assert trained.rewind_weights is not None
    name = Mask.from_state_dict(trained.mask).names[0]
    assert not torch.equal(trained.rewind_weights[name], start.weights[name])
    nxt = next_start_state(trained, study.pruning, study.data, study.model, study.seed)
    keep = Mask.from_state_dict(nxt.mask)[name]
    assert torch.equal(nxt.weights[name][keep], trained.rewind_weights[name][keep])


@pytest.mark.parametrize("method", ["global_gradient", "layer_gradient", "layer_random"])
def test_other_methods_run_through_the_engine(method, study_factory):
    study = study_factory(pruning={"method": method})
    records = run_pruning(study, cycles=2, device="cpu")
    assert records[1].percent_remaining == pytest.approx(50.0, abs=0.1)
    assert not records[1].diverged
