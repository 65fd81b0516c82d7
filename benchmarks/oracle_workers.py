"""Wall time of the demo oracle with 1 and with 2 Ray workers, and their ratio.

    python benchmarks/oracle_workers.py [--study studies/demo.toml] [--cycles L]

Both runs happen in this process, one after the other, on the same local Ray instance (started
once, before timing), each into a fresh temporary storage so nothing is resumed. "Workers" is
the number of concurrent trials (max_concurrent), each trial using one CPU thread. On a 2-core
machine the ratio should approach 2.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from scyc_tune.oracle.driver import run_oracle
from scyc_tune.runs.launch import RayOptions, ensure_ray
from scyc_tune.study import load_study
from scyc_tune.study.load import Override


def timed_run(study_path: Path, workers: int, cycles: int | None) -> tuple[float, list]:
    overrides = [] if cycles is None else [Override("pruning.cycles", cycles, "--cycles")]
    return timed_oracle(study_path, load_study(study_path, overrides), workers)


def timed_oracle(study_path: Path, study, workers: int) -> tuple[float, list]:
    """Wall time and outcomes of the oracle of ``study`` into a fresh temporary storage."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        options = RayOptions(None, 1.0, 0.0, workers, False, root / "ray")
        t0 = time.perf_counter()
        outcomes = run_oracle(
            study,
            study_path.read_text(),
            storage_url=f"sqlite:///{root / 'scyc.db'}",
            artifact_dir=root / "artifacts",
            ray=options,
        )
        return time.perf_counter() - t0, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=Path("studies/demo.toml"))
    parser.add_argument("--cycles", type=int, default=None)
    args = parser.parse_args()
    ensure_ray(None)
    one, out1 = timed_run(args.study, 1, args.cycles)
    two, out2 = timed_run(args.study, 2, args.cycles)
    same = [o.answer.well_tuned for o in out1] == [o.answer.well_tuned for o in out2]
    trials = sum(len(o.answer.points) for o in out1)
    print(f"study {args.study}, {len(out1)} cycles, {trials} trials per run")
    print(f"1 worker : {one:8.1f} s")
    print(f"2 workers: {two:8.1f} s")
    print(f"speed-up (1 worker / 2 workers): {one / two:.2f}x; same well-tuned max_lr: {same}")


if __name__ == "__main__":
    main()
