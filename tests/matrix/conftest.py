"""The matrix: every network of the registry and every study under studies/, on tiny data in
the real on-disk formats, through every command (one subprocess, one Ray instance).

``_driver.py`` runs the plan in one Python process (a local Ray instance started once) and
writes each command's exit code and output; the tests read them."""

from __future__ import annotations

import gzip
import json
import pickle
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
STUDIES = sorted((REPO / "studies").glob("*.toml"))
ITERATIONS = 6  # per cycle
WIDTH = 1 / 16  # conv networks' channel-width multiplier

# --- tiny datasets in the real formats ---------------------------------------------------


def write_cifar10(root: Path, per_file: int = 10) -> None:
    """cifar-10-batches-py/: five data batches and a test batch of pickled uint8 rows."""
    rng = np.random.default_rng(0)
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, (per_file, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, per_file)]
        with open(folder / name, "wb") as f:
            pickle.dump({b"batch_label": name.encode(), b"labels": labels, b"data": data}, f)


def _idx(path: Path, array: np.ndarray, gz: bool) -> None:
    header = struct.pack(">I", 0x0800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    if gz:
        path, payload = path.with_name(path.name + ".gz"), gzip.compress(payload)
    path.write_bytes(payload)


def write_fashion_mnist(root: Path, train: int = 50, test: int = 10) -> None:
    """FashionMNIST/raw/: IDX image and label files (the test files gzip'd)."""
    rng = np.random.default_rng(1)
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for part, n in (("train", train), ("t10k", test)):
        _idx(raw / f"{part}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)), part == "t10k")
        _idx(raw / f"{part}-labels-idx1-ubyte", rng.integers(0, 10, n), part == "t10k")


def write_tiny_imagenet(root: Path, classes: int = 3, per_class: int = 12, val: int = 9) -> None:
    """tiny-imagenet-200/: wnids.txt, train/<wnid>/images/*.JPEG, val/images + annotations."""
    rng = np.random.default_rng(2)
    folder = root / "tiny-imagenet-200"
    wnids = [f"n{1443537 + k:08d}" for k in range(classes)]
    (folder / "val" / "images").mkdir(parents=True, exist_ok=True)
    (folder / "wnids.txt").write_text("\n".join(wnids) + "\n")

    def jpeg(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
        Image.fromarray(pixels, "RGB").save(path, format="JPEG", quality=90)

    for wnid in wnids:
        for i in range(per_class):
            jpeg(folder / "train" / wnid / "images" / f"{wnid}_{i}.JPEG")
        (folder / "train" / wnid / f"{wnid}_boxes.txt").write_text("")
    lines = []
    for i in range(val):
        jpeg(folder / "val" / "images" / f"val_{i}.JPEG")
        lines.append(f"val_{i}.JPEG\t{wnids[i % classes]}\t0\t0\t63\t63")
    (folder / "val" / "val_annotations.txt").write_text("\n".join(lines) + "\n")


WRITERS = {
    "cifar10": write_cifar10,
    "fashion_mnist": write_fashion_mnist,
    "tiny_imagenet": write_tiny_imagenet,
}

# --- studies, shrunk to a few iterations -------------------------------------------------


def shrink(raw: dict, data_dir: Path) -> dict:
    """Two cycles of ITERATIONS iterations, phase boundaries scaled with them, narrow conv
    networks, two grid points, a few fit trials, one comparison seed."""
    raw = json.loads(json.dumps(raw))
    training = raw.setdefault("training", {})
    old = training.get("iterations", 63000)
    training.update(iterations=ITERATIONS, batch_size=8, eval_every=3)
    training.pop("retrain_iterations", None)
    for params in raw.get("schedules", {}).values():
        for key in ("b", "c", "d", "e"):
            v = params.get(key)
            if isinstance(v, int) and not (params["type"] == "cyclical" and key == "b"):
                if not (params["type"] == "decay" and key != "b"):
                    params[key] = max(1, round(v * ITERATIONS / old))
        if "gradient_batches" in params:
            params["gradient_batches"] = 1
    raw.setdefault("pruning", {}).update(cycles=2, gradient_batches=1)
    model = raw.setdefault("model", {})
    if model.get("name", "fc") != "fc":
        model["width"] = WIDTH
    data = raw.setdefault("data", {})
    if data.get("name") in WRITERS:
        data["data_dir"] = str(data_dir)
    if data.get("name", "mnist1d") == "mnist1d":
        data["mnist1d_samples"] = 200
    oracle = raw.setdefault("oracle", {})
    oracle["grid"] = [0.02, 0.05]
    oracle["grow"] = 0  # two points whatever is best: the adaptive grid has its own tests
    oracle["refine"] = 0
    oracle.pop("max_concurrent", None)
    fit = raw.setdefault("fit", {})
    fit.update(oracle_trials=5, accuracy_trials=2)
    raw.setdefault("compare", {}).update(seeds=1, tune_grid=[0.05])
    return raw


def dump_toml(raw: dict) -> str:
    """Enough TOML for study files: scalars, lists of scalars, nested tables."""

    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)

    lines: list[str] = []

    def table(prefix: list[str], d: dict) -> None:
        scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
        if prefix:
            lines.append(f"[{'.'.join(json.dumps(p) for p in prefix)}]")
        lines.extend(f"{json.dumps(k)} = {value(v)}" for k, v in scalars.items() if v is not None)
        for k, v in d.items():
            if isinstance(v, dict):
                table([*prefix, k], v)

    table([], raw)
    return "\n".join(lines) + "\n"


#: every network of the registry (fc twice: with and without BatchNorm), with a dataset
NETWORKS = [
    ("fc", {"name": "fc", "hidden": [16, 16]}, "fashion_mnist"),
    ("fc-bn", {"name": "fc", "hidden": [16, 16], "batchnorm": True}, "tiny_imagenet"),
    ("resnet20", {"name": "resnet20", "width": WIDTH}, "cifar10"),
    ("vgg19_bn", {"name": "vgg19_bn", "width": WIDTH}, "cifar10"),
    ("resnet50", {"name": "resnet50", "width": WIDTH}, "tiny_imagenet"),
]
FORMATS = sorted(WRITERS)


def network_study(name: str, model: dict, dataset: str, data_dir: Path) -> dict:
    shape = {"b": 2, "c": 4, "d": 5, "e": "Nil"}
    return shrink(
        {
            "name": f"matrix-{name}-{dataset}",
            "seed": 0,
            "schedule": "s-cyc",
            "data": {"name": dataset},
            "model": model,
            "pruning": {"method": "global_magnitude", "rate": 0.5},
            "training": {"iterations": ITERATIONS},
            "schedules": {
                "constant": {"type": "constant", "a": 0.01},
                "warm": {"type": "warmup", "a": 0.05, **shape},
                "s-cyc": {
                    "type": "scyc",
                    **{"epsilon": 0.05, "delta": 0.03, "q": 0, "beta": 3},
                    **shape,
                },
            },
            "oracle": {"schedule": "warm"},
            "fit": {"epsilon": {"low": 0.02, "high": 0.08}, "delta": {"low": 0.0, "high": 0.04}},
            "compare": {"schedules": ["constant", "warm", "s-cyc"]},
        },
        data_dir,
    )


def commands(study: str, raw: dict) -> list[tuple[str, list[str], int]]:
    """(step, argv, expected exit code): 2 for a command the study cannot do, with one line."""
    schedules = raw["schedules"].values()
    has_warmup = any(p["type"] == "warmup" for p in schedules) or "schedule" in raw["oracle"]
    has_scyc = any(p["type"] == "scyc" for p in schedules)
    ok_oracle, ok_fit = (0 if has_warmup else 2), (0 if has_scyc and has_warmup else 2)
    return [
        ("prune", ["prune", study, "--json"], 0),
        ("oracle", ["oracle", study, "--json"], ok_oracle),
        ("fit-oracle", ["fit", study, "--mode", "oracle", "--json"], ok_fit),
        ("fit-accuracy", ["fit", study, "--mode", "accuracy", "--json"], ok_fit),
        ("compare", ["compare", study], 0),
        ("gradients", ["gradients", study], 0 if has_warmup else 1),
        ("report", ["report", study], 0),
        # then the whole job: it finds everything stored, skips what the study cannot do
        ("run", ["run", study], 0),
    ]


@pytest.fixture(scope="session")
def matrix(tmp_path_factory) -> dict:
    """Runs the whole plan once; {cell: {step: {"rc", "out", "err", "expected"}}, ...}."""
    root = tmp_path_factory.mktemp("matrix")
    data_dir = root / "data"
    for writer in WRITERS.values():
        writer(data_dir)
    plan = []
    # fc with BatchNorm through every command (the studies below cover the other networks)
    raw = network_study("fc-bn", NETWORKS[1][1], NETWORKS[1][2], data_dir)
    (root / "fc-bn.toml").write_text(dump_toml(raw))
    plan.append({"cell": "fc-bn", "study": raw["name"], "commands": commands("fc-bn.toml", raw)})
    # every network on every format: one pruning run each (no Ray)
    for name, model, _ in NETWORKS:
        for dataset in FORMATS:
            raw = network_study(name, model, dataset, data_dir)
            path = root / f"{name}-{dataset}.toml"
            path.write_text(dump_toml(raw))
            plan.append(
                {
                    "cell": f"{name}/{dataset}",
                    "study": raw["name"],
                    "commands": [("prune", ["prune", path.name, "--json"], 0)],
                }
            )
    for study_file in STUDIES:
        raw = shrink(tomllib.loads(study_file.read_text()), data_dir)
        raw["name"] = f"studies-{raw['name']}"
        path = root / f"studies-{study_file.name}"
        path.write_text(dump_toml(raw))
        cell = {"cell": f"studies/{study_file.name}", "study": raw["name"]}
        plan.append({**cell, "commands": commands(path.name, raw)})
    (root / "plan.json").write_text(json.dumps(plan))
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("_driver.py")), str(root / "plan.json")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((root / "results.json").read_text())
    results["_root"] = str(root)
    return results
