"""A Ray cluster started with ``ray start`` for the tests that join one with ``--ray-address``
(several drivers on one cluster, a head and a worker node)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

RAY = str(Path(sys.executable).with_name("ray"))

#: a small oracle study on digits for the cluster tests: ``.format(name=, seed=, iterations=,
#: eval_every=, grid=, oracle=)`` (``oracle``: more ``[oracle]`` lines)
CLUSTER_STUDY = """
name = "{name}"
seed = {seed}
schedule = "warm"
[data]
name = "digits"
[model]
name = "fc"
hidden = [16]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 1
[training]
iterations = {iterations}
batch_size = 32
eval_every = {eval_every}
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 30
d = "Nil"
[oracle]
grid = {grid}
grow = 0
{oracle}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_env(**extra: str) -> dict[str, str]:
    """The environment of ``ray start``: token authentication on, as Ray 2.60 runs a cluster
    (a worker node's ``ray start --address`` does not turn it on by itself)."""
    env = {**os.environ, "RAY_AUTH_MODE": "token", **extra}
    env.pop("RAY_ADDRESS", None)
    return env


def ensure_token() -> None:
    """A token in ~/.ray/auth_token (``ray get-auth-token --generate`` makes one if none)."""
    subprocess.run([RAY, "get-auth-token", "--generate"], capture_output=True, env=ray_env(),
                   timeout=60, check=True)  # fmt: skip


def start_head(cpus: int, ip: str | None = None, resources: str | None = None) -> str:
    """``ray start --head`` (on ``ip``, else the address Ray picks: the machine's own; Ray
    rewrites 127.0.0.1 to it when a driver joins); its GCS address (``ip:port``)."""
    ensure_token()
    port = free_port()
    argv = [RAY, "start", "--head", f"--port={port}", f"--num-cpus={cpus}", "--num-gpus=0",
            "--include-dashboard=false", "--disable-usage-stats"]  # fmt: skip
    if ip:
        argv.append(f"--node-ip-address={ip}")
    if resources:
        argv.append(f"--resources={resources}")
    done = subprocess.run(argv, capture_output=True, text=True, env=ray_env(), timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"ray start --head failed: {(done.stderr or done.stdout)[-1500:]}")
    found = re.search(r"--address='([^']+)'", done.stdout + done.stderr)
    if not found:
        raise RuntimeError(f"ray start --head printed no address: {done.stdout[-1500:]}")
    return found.group(1)


def stop_cluster(address: str) -> None:
    """Kill every process of the cluster at ``address`` (both nodes: each carries the GCS
    address or port in its command line), and nothing else: ``ray stop`` would stop every
    Ray of the machine, the default suite's local instances among them (``.ci/run`` runs the
    cluster tests beside it)."""
    port = address.rsplit(":", 1)[1]
    for pattern in (address, f"gcs_server_port={port}", f"--port={port}"):
        subprocess.run(["pkill", "-9", "-f", pattern], capture_output=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        alive = subprocess.run(["pgrep", "-f", address], capture_output=True, text=True)
        if not alive.stdout.strip():
            break
        subprocess.run(["pkill", "-9", "-f", address], capture_output=True)
        time.sleep(0.2)
    current = Path("/tmp/ray/ray_current_cluster")  # ray start's pointer, for address=None
    try:
        if address in current.read_text():
            current.unlink()
    except OSError:
        pass


def wait_for_cpus(address: str, cpus: int, timeout: float = 60.0) -> None:
    """Until the cluster at ``address`` offers ``cpus`` CPUs (a node that has just started
    registers its resources a moment later; a driver sizing its trials before that sees one
    node)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run([RAY, "status", f"--address={address}"], capture_output=True,
                              text=True, env=ray_env(), timeout=60)  # fmt: skip
        if f"/{cpus:.1f} CPU" in done.stdout:
            return
        time.sleep(1)
    raise RuntimeError(f"the cluster at {address} never offered {cpus} CPUs")
