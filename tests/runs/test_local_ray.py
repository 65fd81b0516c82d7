"""A local Ray instance (no --ray-address, no $RAY_ADDRESS) is this machine's alone: its node
binds to loopback (issue 12: it listened on the machine's network address)."""

import os

import pytest


@pytest.mark.skipif(bool(os.environ.get("RAY_ADDRESS")), reason="joins the cluster of $RAY_ADDRESS")
def test_the_local_ray_instance_listens_on_loopback_only():
    import ray

    from scyc_tune.runs.launch import ensure_ray

    started_here = not ray.is_initialized()
    ensure_ray(None)
    try:
        addresses = {n["NodeManagerAddress"] for n in ray.nodes() if n["Alive"]}
        assert addresses == {"127.0.0.1"}
        assert ray.get_runtime_context().gcs_address.startswith("127.0.0.1:")
    finally:
        if started_here:
            ray.shutdown()
