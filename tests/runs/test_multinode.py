"""A real two-node Ray cluster started with ``ray start`` (issue 15, items 3 and 4): the head on
one address, the worker node in its own network namespace with its own address (a veth pair
made with ``ip netns``; where that cannot be done here, a second node beside the head with its
own resources), the oracle joining with ``--ray-address``; its trials run on both nodes (Ray
Tune's ``node_ip`` of each trial, in its ``result.json``) and give the answer of a local run.

No filesystem is shared between the worker node and the driver: the worker node runs in its own
mount namespace, with empty tmpfs mounted over the test's folder (the driver's working
directory, its database and its ``storage/``) and over ``/tmp/ray`` (Ray's session files, which
it makes its own, as on another machine). The artifacts, the run index and Ray Tune's results
and checkpoints go to an S3 bucket on moto's S3-compatible server (``--artifacts s3://...``,
``--ray-results s3://...``), which both nodes reach over the network."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.ray_cluster import (
    CLUSTER_STUDY,
    RAY,
    free_port,
    ray_env,
    start_head,
    stop_cluster,
    wait_for_cpus,
)
from tests.s3_server import CREDENTIALS, S3Server

pytestmark = [pytest.mark.multinode, pytest.mark.timeout(600)]

STUDY = CLUSTER_STUDY.format(
    name="two-nodes",
    seed=5,
    iterations=200,
    eval_every=100,
    grid=[0.02, 0.04, 0.06, 0.08],
    oracle="cpus_per_trial = 1",
)

HEAD_IP, WORKER_IP = "10.77.0.1", "10.77.0.2"


def _sh(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True)


class Namespace:
    """The network namespace ``scyc-w<id>`` joined to this one by a veth pair."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.name, self.host_if, self.ns_if = f"scyc-w{tag}", f"sh{tag}", f"sw{tag}"

    def create(self) -> str | None:
        """None when made, else why it could not be."""
        steps = [
            ["ip", "netns", "add", self.name],
            ["ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if],
            ["ip", "link", "set", self.ns_if, "netns", self.name],
            ["ip", "addr", "add", f"{HEAD_IP}/24", "dev", self.host_if],
            ["ip", "link", "set", self.host_if, "up"],
            ["ip", "netns", "exec", self.name, "ip", "addr", "add", f"{WORKER_IP}/24", "dev",
             self.ns_if],
            ["ip", "netns", "exec", self.name, "ip", "link", "set", self.ns_if, "up"],
            ["ip", "netns", "exec", self.name, "ip", "link", "set", "lo", "up"],
        ]  # fmt: skip
        for argv in steps:
            done = _sh(*argv)
            if done.returncode != 0:
                self.delete()
                return f"{' '.join(argv)}: {done.stderr.strip()}"
        return None

    def delete(self) -> None:
        _sh("ip", "netns", "del", self.name)
        _sh("ip", "link", "del", self.host_if)


def hidden(*folders: str) -> list[str]:
    """A command prefix: a new mount namespace with empty tmpfs over ``folders``."""
    script = 'for d in "$@"; do [ "$d" = -- ] && break; mount -t tmpfs scyc-hidden "$d" || exit 9; '
    script += 'shift; done; shift; exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            *folders, "--"]  # fmt: skip


def seen_by(pid: str, folder: Path) -> list[str] | None:
    """What the process ``pid`` sees in ``folder`` (None where nsenter cannot tell)."""
    done = _sh("nsenter", "-t", pid, "-m", "ls", "-A", str(folder))
    return done.stdout.split() if done.returncode == 0 else None


@pytest.fixture
def two_nodes(tmp_path, monkeypatch):
    """(GCS address, how the worker was placed, the S3 server both nodes reach)."""
    for k, v in CREDENTIALS.items():  # the nodes' environment: their trials write the bucket
        monkeypatch.setenv(k, v)
    ns = Namespace()
    why = ns.create()
    address = server = None
    walls = hidden(str(tmp_path), "/tmp/ray")
    if _sh(*walls, "true").returncode != 0:
        walls = []  # no mount namespace (not root): the nodes share the filesystem
    try:
        if why is None:
            address = start_head(cpus=1, ip=HEAD_IP)
            server = S3Server(HEAD_IP)
            worker = ["ip", "netns", "exec", ns.name, *walls, RAY, "start",
                      f"--address={address}", f"--node-ip-address={WORKER_IP}"]  # fmt: skip
            how = f"worker node in network namespace {ns.name} at {WORKER_IP}"
        else:
            address = start_head(cpus=1)
            server = S3Server()
            worker = [*walls, RAY, "start", f"--address={address}"]
            how = f"worker node beside the head (no network namespace: {why})"
        how += ", its own mount namespace" if walls else ", sharing the filesystem"
        worker += ["--num-cpus=1", "--num-gpus=0", "--resources={\"worker_node\": 1}",
                   "--disable-usage-stats", f"--node-manager-port={free_port()}"]  # fmt: skip
        done = subprocess.run(worker, capture_output=True, text=True, env=ray_env(), timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        wait_for_cpus(address, 2)
        if walls:  # the worker node's raylet sees none of the driver's files
            raylets = _sh("pgrep", "-f", "raylet.*worker_node").stdout.split()
            assert raylets, "no raylet of the worker node"
            seen = seen_by(raylets[0], tmp_path)
            assert seen in ([], None), seen
            how += f" (its raylet sees {'nothing' if seen == [] else 'unknown'} in {tmp_path.name})"
        yield address, how, server
    finally:
        if address is not None:
            stop_cluster(address)
        if server is not None:
            server.stop()
        ns.delete()


def oracle(tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("RAY_ADDRESS", None)
    cmd = [sys.executable, "-m", "scyc_tune", "oracle", "study.toml", "--json", *extra]
    return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=420)


def placements(server: S3Server, bucket: str) -> dict[str, set[str]]:
    """Ray Tune trial name -> the node IPs its results came from (its result.json files in
    the bucket)."""
    seen: dict[str, set[str]] = {}
    fs = server.filesystem()
    for key in server.objects(bucket):
        if key.startswith("ray/") and key.endswith("/result.json"):
            with fs.open_input_stream(f"{bucket}/{key}") as f:
                for line in f.read().decode().splitlines():
                    seen.setdefault(key.split("/")[-2], set()).add(json.loads(line)["node_ip"])
    return seen


def test_the_oracle_on_a_head_and_a_worker_node(tmp_path, two_nodes):
    address, how, server = two_nodes
    bucket = server.new_bucket()
    cluster, local = tmp_path / "cluster", tmp_path / "local"
    for d in (cluster, local):
        d.mkdir()
        (d / "study.toml").write_text(STUDY)
    roots = ["--artifacts", server.uri(bucket, "artifacts"),
             "--ray-results", server.uri(bucket, "ray")]  # fmt: skip
    joined = oracle(cluster, "--ray-address", address, *roots)
    assert joined.returncode == 0, joined.stderr[-3000:]
    where = placements(server, bucket)
    nodes = set().union(*where.values())
    counts = {ip: sum(ip in s for s in where.values()) for ip in sorted(nodes)}
    stored = [k for k in server.objects(bucket) if k.startswith("artifacts/")]
    print(f"\n{how}; trials per node: {counts} ({sorted(where)}); objects under artifacts/: "
          f"{len(stored)}")  # fmt: skip
    assert len(nodes) == 2, where  # the head's and the worker's
    if "namespace" in how:
        assert nodes == {HEAD_IP, WORKER_IP}
    indexed = [k for k in stored if k.startswith("artifacts/runs/")]
    assert len(indexed) == 4 and len(stored) > 4  # the index of the 4 grid points, their states
    assert sorted(p.name for p in (cluster / "storage").iterdir()) == ["scyc.db"]  # all else: S3

    stop_cluster(address)  # the same study on a local instance and local folders: same answer
    alone = oracle(local)
    assert alone.returncode == 0, alone.stderr[-3000:]
    keep = ("cycle", "well_tuned", "best_val_acc", "feasible", "points")
    got, want = json.loads(joined.stdout), json.loads(alone.stdout)
    assert [{k: c[k] for k in keep} for c in got] == [{k: c[k] for k in keep} for c in want]
