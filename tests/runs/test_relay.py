"""The one relay between Ray Tune and the drivers (``runs.launch``): a trial that Ray Tune
restarted after losing its worker reports again the members it had already finished; each
member's cycle reaches the driver once, whichever driver listens (oracle, fit, compare)."""

from types import SimpleNamespace

import pytest

from scyc_tune.runs.launch import _relay_class
from scyc_tune.runs.result import MemberResult, Progress, encode, encode_progress

pytest.importorskip("ray.tune")


class Heard:
    def __init__(self):
        self.results: list[tuple[str, int, str | None, bool]] = []
        self.lost_keys: list[str] = []

    def started(self, key):
        pass

    def reported(self, r):
        self.results.append((r.key, r.cycle, r.run_id, r.reused))

    def stopped(self, key):
        pass

    def lost(self, key):
        self.lost_keys.append(key)


def report(relay, trial, member: MemberResult, final=False):
    encoded = encode(member, final=final, last_cycle=final, score=None)
    relay.on_trial_result(0, [], trial, encoded)


def test_a_restarted_trials_repeats_reach_the_driver_once():
    heard = Heard()
    relay = _relay_class()(heard)
    trial = SimpleNamespace(config={"key": "chain-a"}, trial_id="t0")
    first = [MemberResult("chain-a", m, f"run{m}", "complete") for m in (0, 1)]
    for member in first:
        report(relay, trial, member)
    relay.on_trial_result(0, [], trial, encode_progress(Progress("chain-a", 0.5, 100)))
    # the worker is lost; Ray Tune restarts the trial, which loads cycles 0 and 1 and goes on
    for member in first:
        report(relay, trial, MemberResult("chain-a", member.cycle, member.run_id, "complete",
                                          reused=True))  # fmt: skip
    report(relay, trial, MemberResult("chain-a", 2, "run2", "complete"), final=True)
    assert heard.results == [
        ("chain-a", 0, "run0", False),
        ("chain-a", 1, "run1", False),
        ("chain-a", 2, "run2", False),
    ]
    # another trial's member of the same cycle is its own (an oracle population's points)
    other = SimpleNamespace(config={"key": "chain-b"}, trial_id="t1")
    report(relay, other, MemberResult("chain-b", 0, "run0b", "complete"))
    assert heard.results[-1] == ("chain-b", 0, "run0b", False)
    relay.on_trial_complete(0, [], trial)  # its final report came: not "stopped"
    assert relay.finished == {"chain-a"}


def test_a_fault_is_kept_back_and_not_relayed():
    heard = Heard()
    relay = _relay_class()(heard)
    trial = SimpleNamespace(config={"key": "p"}, trial_id="t0")
    report(relay, trial, MemberResult("p", 0, "r", "fault", error="no space left on the device"))
    assert heard.results == [] and relay.faults == ["no space left on the device"]
