"""The iterative-pruning engine. Its unit of work is one cycle: ``train_cycle(job, start)``."""

from scyc_tune.engine.cycle_job import cycle_job
from scyc_tune.engine.device import resolve_device
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.record import CycleRecord
from scyc_tune.engine.start import initial_state, next_start_state
from scyc_tune.engine.state import CycleState
from scyc_tune.engine.train import CycleResult, train_cycle

__all__ = [
    "CycleJob",
    "CycleRecord",
    "CycleResult",
    "CycleState",
    "cycle_job",
    "initial_state",
    "next_start_state",
    "resolve_device",
    "train_cycle",
]
