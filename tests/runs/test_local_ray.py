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


def test_a_trial_larger_than_the_cluster_is_refused_in_one_line(tmp_path):
    """Issue 12: Ray Tune waits for ever for resources the cluster does not have."""
    from scyc_tune.errors import ScycError
    from scyc_tune.runs.launch import RayOptions, ensure_ray, fits_cluster

    ensure_ray(None)
    ok = RayOptions(None, 1.0, 0.0, None, False, tmp_path)
    fits_cluster(ok)
    with pytest.raises(ScycError, match="asks for 1 CPUs and 8 GPUs, but the Ray cluster has"):
        fits_cluster(RayOptions(None, 1.0, 8.0, None, False, tmp_path))
    with pytest.raises(ScycError, match="asks for 4096 CPUs"):
        fits_cluster(RayOptions(None, 4096.0, 0.0, None, False, tmp_path))
