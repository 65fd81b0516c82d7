"""The comparison's chains walked in lock step (issue 13): several chains in one trial, one
population per cycle, each pruned by its own mask, give each chain exactly what it gives alone."""

import torch

from scyc_tune.runs.population import Member
from scyc_tune.runs.result import MemberResult, decode
from scyc_tune.runs.trainable import TrialWork, _run
from tests.engine.conftest import make_study


def _walk(study, chains, root):
    """Run one trial over ``chains`` ([(key, schedule name, seed)]); its member results."""
    cycles = range(study.pruning.cycles)
    populations = [
        [Member(key, study.schedules[name], seed=seed) for key, name, seed in chains]
        for _ in cycles
    ]
    work = TrialWork("t", study, cycles, populations)
    out: list[MemberResult] = []

    def report(metrics):
        r = decode(metrics)
        if isinstance(r, MemberResult):
            out.append((r, metrics.get("final", False)))

    _run(work, str(root), report, torch.device("cpu"))
    return out


def _by_chain(results):
    return {(r.key, r.cycle): r for r, _ in results}


def test_chains_in_lock_step_give_what_each_gives_alone(tmp_path):
    study = make_study(
        pruning={"method": "global_magnitude", "rate": 0.5, "cycles": 3},
        training={"engine": "single"},
    )
    chains = [("warm/3", "warm", 3), ("warm/4", "warm", 4), ("scyc/3", "scyc", 3)]
    together = _by_chain(_walk(study, chains, tmp_path / "together"))
    assert sorted(together) == sorted((k, m) for k, _, _ in chains for m in range(3))
    for chain in chains:
        alone = _by_chain(_walk(study, [chain], tmp_path / chain[0].replace("/", "-")))
        for (key, m), r in alone.items():
            t = together[(key, m)]
            assert t.run_id == r.run_id
            assert t.artifact == r.artifact  # the trained state's digest: bit for bit
            same = ("val_acc", "test_acc", "final_val_acc", "train_loss", "best_iteration")
            assert [getattr(t.record, f) for f in same] == [getattr(r.record, f) for f in same]
    # two seeds of one schedule are two chains: their pruned networks differ from cycle 1 on
    assert together[("warm/3", 1)].run_id != together[("warm/4", 1)].run_id
    assert together[("warm/3", 1)].artifact != together[("warm/4", 1)].artifact


def test_the_trial_marks_only_its_last_report_final_and_a_diverged_chain_stops_alone(tmp_path):
    study = make_study(
        pruning={"method": "global_magnitude", "rate": 0.5, "cycles": 3},
        training={"engine": "single"},
    )
    out = _walk(study, [("huge/3", "huge", 3), ("warm/3", "warm", 3)], tmp_path)
    got = _by_chain(out)
    assert got[("huge/3", 0)].status == "diverged"
    assert ("huge/3", 1) not in got  # the diverged chain ends at its cycle
    assert [got[("warm/3", m)].status for m in range(3)] == ["complete"] * 3
    assert [final for _, final in out] == [False] * (len(out) - 1) + [True]
