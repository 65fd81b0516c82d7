"""Fused populations against the same members trained one after another, side by side.

    python benchmarks/population.py [--ks 1,2,4,8,16] [--iterations 200] [--net fc|resnet20|all]
                                    [--precision fp32,bf16] [--device cuda]

For each K: K members (grid points of one cycle, same seed) trained by the fused engine
(``engine.fused.train_population``, one stacked model) and by ``train_cycle`` one at a time, in
this process, one thread, on the same data. Prints samples/s of both, their ratio
(fused / separate), and the peak memory of each (CUDA: max allocated; CPU: the growth of the
process's peak RSS, an upper bound). FC 3x256 on MNIST-1D (the demo's network) and a
ResNet-20 on CIFAR-shaped random images (32x32x3, written in the real CIFAR-10 format into a
temporary directory). CUDA is used when present (``--device``), CPU otherwise.

Before each table it prints the ceiling of any fusion on this device: the share of a separate
training's wall time spent in its GEMMs and convolutions (``torch.profiler``, self time of the
matmul and convolution kernels), and how fast a K-batched GEMM of the net's widest layer runs
against one member's (CPU). A fused population still does every member's arithmetic, so where
batched GEMMs run at the single rate no fusion can exceed 1 / share (the rest, the optimizer,
elementwise ops and Python, is all it can save).

For ResNet-20 it also prints the projected wall time of the paper's CIFAR-10 oracle (25 cycles
x 16 grid points x 63K iterations at batch 128) on one such device, from the measured fused
throughput at each K: hours = 25 x 16 x 63,000 x 128 / (fused samples/s) / 3600.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests/
from scyc_tune.engine import cycle_job, initial_state, train_cycle
from scyc_tune.engine.fused import train_population
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.study import parse_study
from tests.matrix.conftest import write_cifar10  # noqa: E402

WARM = {"type": "warmup", "b": 50, "c": 150, "d": "Nil", "e": "Nil"}


ORACLE_SAMPLES = 25 * 16 * 63_000 * 128  # the paper's ResNet-20 / CIFAR-10 oracle


def study_for(net: str, iterations: int, device: str, batch: int, precision: str = "fp32"):
    raw = {
        "name": "bench",
        "seed": 0,
        "schedule": "w",
        "schedules": {"w": {**WARM, "a": 0.05}},
        "training": {
            "iterations": iterations,
            "batch_size": batch,
            "eval_every": iterations,
            "device": device,
            "engine": "fused",
            "precision": precision,
        },
    }
    if net == "fc":
        raw["data"] = {"name": "mnist1d"}
        raw["model"] = {"name": "fc", "hidden": [256, 256, 256]}
    else:
        raw["data"] = {"name": "cifar10", "augment": True}
        raw["model"] = {"name": "resnet20"}
    return parse_study(raw)


def peak_mb(device: str) -> float:
    if device.startswith("cuda"):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset(device: str) -> float:
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        return 0.0
    return peak_mb(device)


def measure(study, k: int, device: str) -> dict:
    start = initial_state(study.data, study.model, study.seed)
    lrs = [0.01 * 1.5**i for i in range(k)]
    jobs = [cycle_job(study, 0, schedule=WarmupParams(**{**WARM, "a": lr})) for lr in lrs]
    samples = k * study.training.iterations * study.training.batch_size
    base = reset(device)
    t0 = time.perf_counter()
    train_population(jobs, [start] * k, device=device)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    fused_s, fused_mb = time.perf_counter() - t0, peak_mb(device) - base
    single = [j.model_copy(update={"training": j.training.model_copy(update={"engine": "single"})})
              for j in jobs]  # fmt: skip
    base = reset(device)
    t0 = time.perf_counter()
    for job in single:
        train_cycle(job, start, device=device)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    sep_s, sep_mb = time.perf_counter() - t0, peak_mb(device) - base
    return {
        "k": k,
        "fused_sps": samples / fused_s,
        "separate_sps": samples / sep_s,
        "ratio": sep_s / fused_s,
        "fused_mb": fused_mb,
        "separate_mb": sep_mb,
    }


#: the kernels that do a network's arithmetic (self time, so nothing is counted twice)
GEMM_OPS = {
    "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::mkldnn_convolution",
    "aten::convolution_backward", "aten::_slow_conv2d_forward", "aten::_slow_conv2d_backward",
}  # fmt: skip


def gemm_share(study) -> float:
    """The fraction of one separate training's time spent in GEMMs and convolutions (CPU)."""
    from torch.profiler import ProfilerActivity, profile

    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0, schedule=WarmupParams(**{**WARM, "a": 0.01}))
    job = job.model_copy(update={"training": job.training.model_copy(update={"engine": "single"})})
    train_cycle(job, start, device="cpu")  # warm
    t0 = time.perf_counter()
    train_cycle(job, start, device="cpu")
    wall = time.perf_counter() - t0
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        train_cycle(job, start, device="cpu")
    gemm = sum(e.self_cpu_time_total for e in prof.key_averages() if e.key in GEMM_OPS) / 1e6
    return min(1.0, gemm / wall)


def batched_rate(k: int, rows: int = 64, width: int = 256, n: int = 200) -> float:
    """How fast K batched [rows x width] @ [width x width] GEMMs run against K single ones."""
    a, w = torch.randn(k, rows, width), torch.randn(k, width, width)

    def timed(f) -> float:
        f()
        t0 = time.perf_counter()
        for _ in range(n):
            f()
        return time.perf_counter() - t0

    single = timed(lambda: [a[i] @ w[i] for i in range(k)])
    return single / timed(lambda: torch.bmm(a, w))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks", default="1,2,4,8,16")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--net", default="all", choices=("fc", "resnet20", "all"))
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--precision", default="fp32", help="comma-separated: fp32,bf16")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    ks = [int(k) for k in args.ks.split(",")]
    nets = ["fc", "resnet20"] if args.net == "all" else [args.net]
    with tempfile.TemporaryDirectory() as tmp:
        write_cifar10(Path(tmp), per_file=200)  # the real format, as the matrix tests write it
        os.environ["SCYC_DATA_DIR"] = tmp
        for net in nets:
            for precision in args.precision.split(","):
                run_net(net, precision, ks, args)


def run_net(net: str, precision: str, ks: list[int], args) -> None:
    batch = 64 if net == "fc" else 128
    iterations = args.iterations if net == "fc" else max(2, args.iterations // 20)
    study = study_for(net, iterations, args.device, batch, precision)
    if args.device.startswith("cuda"):  # CUDA's and cuDNN's set-up out of the first K
        measure(study, 1, args.device)
    print(f"{net} on {args.device}, {precision}, batch {batch}, {iterations} iterations, "
          f"{args.threads} thread(s)")  # fmt: skip
    if args.device == "cpu":
        share = gemm_share(study)
        line = (f"  GEMMs and convolutions: {share:.0%} of a separate training's time, so no "
                f"fusion at the single rate exceeds {1 / share:.2f}x")  # fmt: skip
        if net == "fc":
            rates = ", ".join(f"K={k} {batched_rate(k):.2f}x" for k in ks if k > 1)
            line += f"; batched 64x256x256 GEMMs against single ones: {rates}"
        print(line, flush=True)
    head = "   K  fused samples/s  separate samples/s  ratio  fused MB  separate MB"
    print(head + ("  oracle h (fused)" if net == "resnet20" else ""))
    for k in ks:
        r = measure(study, k, args.device)
        line = (
            f"{r['k']:4d}  {r['fused_sps']:15.0f}  {r['separate_sps']:18.0f}  "
            f"{r['ratio']:5.2f}  {r['fused_mb']:8.1f}  {r['separate_mb']:11.1f}"
        )
        if net == "resnet20":
            line += f"  {ORACLE_SAMPLES / r['fused_sps'] / 3600:16.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
