"""The demo oracle's wall time against the ideal of one bare training loop per training.

    python benchmarks/oracle_wall.py [--study studies/demo.toml] [--cycles 2] [--workers 2]

In this process, side by side, on one local Ray instance started before timing:
  - T_bare: one cycle of the study trained by ``train_cycle`` in this process, one thread
    (the same work as one grid point, without Ray, the database or the artifact store);
  - the oracle with one grid point per Ray trial (``oracle.population = 1``, as before
    populations), and with the default packing (a cycle's points spread over the workers),
    each into a fresh temporary storage so nothing is resumed.
Efficiency = ideal / actual, ideal = T_bare x trainings / workers (the trainings each run did:
every grid point on every seed, the points the grid grew by too): 1.0 is a perfect worker
pool that only trains; the two oracles must give the same answer (CPU training is bitwise
reproducible), which is checked and printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
from oracle_workers import timed_oracle  # benchmarks/ is on sys.path when run as a script

from scyc_tune.engine import cycle_job, initial_state, train_cycle
from scyc_tune.runs.launch import ensure_ray
from scyc_tune.study import load_study
from scyc_tune.study.load import Override


def study_with(path: Path, cycles: int, population: int | None):
    overrides = [Override("pruning.cycles", cycles, "--cycles")]
    if population is not None:
        overrides.append(Override("oracle.population", population, "--set"))
    return load_study(path, overrides)


def bare(study) -> float:
    torch.set_num_threads(1)
    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0, schedule=None, start=start)
    train_cycle(job, start)  # warm: data generated, kernels loaded
    t0 = time.perf_counter()
    train_cycle(job, start)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=Path("studies/demo.toml"))
    parser.add_argument("--cycles", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_ray(None)
    one_each = study_with(args.study, args.cycles, 1)
    packed = study_with(args.study, args.cycles, None)
    t_bare = bare(packed)
    print(f"study {args.study}: {args.cycles} cycles, {packed.oracle.seeds} seed(s) per grid "
          f"point, {args.workers} workers")  # fmt: skip
    print(f"bare train_cycle: {t_bare:.2f} s per training")
    answers = []
    for label, study in (("one point per trial", one_each), ("populations", packed)):
        wall, outcomes = timed_oracle(args.study, study, args.workers)
        answers.append([o.answer.points for o in outcomes])  # every point: max_lr, val_acc
        # every training this run did: each grid point on each seed, the grown points too
        trainings = sum(o.trained_now for o in outcomes)
        ideal = t_bare * trainings / args.workers
        print(f"{label:20s}: {wall:7.1f} s for {trainings} trainings, ideal {ideal:.1f} s, "
              f"efficiency {ideal / wall:.2f}", flush=True)  # fmt: skip
    print(f"same answer: {answers[0] == answers[1]}")


if __name__ == "__main__":
    main()
