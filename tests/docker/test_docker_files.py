"""docker/: what can be checked without a Docker engine or a Kubernetes cluster (issue 15,
item 7). The compose file is validated against the Compose Specification's JSON schema (the
copy check-jsonschema vendors); no package ships KubeRay's CRD schemas, so the manifests are
checked for the fields scyc-tune relies on. The images themselves were not built here."""

import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"
COMPOSE = DOCKER / "compose.yaml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_the_compose_file_is_valid_against_the_compose_specification():
    schema_path = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(compose(), schema)


def test_the_schema_check_catches_a_broken_compose_file():
    schema_path = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_path.read_text())
    broken = compose()
    broken["services"]["postgres"]["helthcheck"] = broken["services"]["postgres"].pop("healthcheck")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_services_the_design_lists_share_the_token_and_the_database():
    services = compose()["services"]
    assert set(services) == {"postgres", "ray-head", "ray-worker", "dashboard", "driver"}
    assert "healthcheck" in services["postgres"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("ray-head", "ray-worker", "dashboard", "driver"):
        env = services[name]["environment"]
        assert env["RAY_AUTH_MODE"] == "token"
        assert env["RAY_AUTH_TOKEN"].startswith("${RAY_AUTH_TOKEN")
        assert env["SCYC_STORAGE"].startswith("postgresql://")
    worker = services["ray-worker"]
    (device,) = worker["deploy"]["resources"]["reservations"]["devices"]
    assert device["capabilities"] == ["gpu"] and "shm_size" in worker
    assert "--address=ray-head:6379" in worker["command"]
    assert services["driver"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "scyc-tune run" in services["driver"]["command"]
    assert "--ray-address ray-head:6379" in services["driver"]["command"]
    assert services["dashboard"]["ports"][0].startswith("127.0.0.1:")  # read-only, loopback
    assert "--allow-writes" not in services["dashboard"]["command"]


def test_every_variable_the_compose_file_reads_is_in_the_env_example():
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    example = {
        line.split("=", 1)[0]
        for line in (DOCKER / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert used <= example, used - example


def test_the_images_are_pinned_and_agree_with_each_other():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    (base,) = re.findall(r"^ARG RAY_IMAGE=(\S+)$", dockerfile, flags=re.M)
    assert re.fullmatch(r"rayproject/ray:\d+\.\d+\.\d+-py311-cpu", base)
    version = base.split(":")[1].split("-")[0]
    gpu = compose()["services"]["ray-worker"]["build"]["args"]["RAY_IMAGE"]
    assert gpu == f"rayproject/ray:{version}-py311-gpu"
    assert re.fullmatch(r"postgres:\d+\.\d+", compose()["services"]["postgres"]["image"])
    cluster = _manifests("raycluster.yaml")[0]
    assert cluster["spec"]["rayVersion"] == version
    assert ".[postgres]" in dockerfile  # psycopg for the postgresql:// storage


def _manifests(name: str) -> list[dict]:
    return list(yaml.safe_load_all((DOCKER / "kuberay" / name).read_text()))


def test_the_kuberay_manifests_fit_together():
    cluster, claim = _manifests("raycluster.yaml")
    (job,) = _manifests("rayjob.yaml")
    (secret,) = _manifests("secret.yaml")
    assert (cluster["apiVersion"], cluster["kind"]) == ("ray.io/v1", "RayCluster")
    assert (job["apiVersion"], job["kind"]) == ("ray.io/v1", "RayJob")
    assert job["spec"]["clusterSelector"]["ray.io/cluster"] == cluster["metadata"]["name"]
    assert job["spec"]["entrypoint"].startswith("scyc-tune run ")
    head = cluster["spec"]["headGroupSpec"]["template"]["spec"]
    (gpu,) = cluster["spec"]["workerGroupSpecs"]
    pods = [head, gpu["template"]["spec"]]
    assert gpu["template"]["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"]
    for pod in pods:
        (container,) = pod["containers"]
        env = {e["name"]: e for e in container["env"]}
        assert env["RAY_AUTH_MODE"]["value"] == "token"
        for name, key in (("RAY_AUTH_TOKEN", "ray-auth-token"), ("SCYC_STORAGE", "storage-url")):
            ref = env[name]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": secret["metadata"]["name"], "key": key}
            assert key in secret["stringData"]
        claims = [
            v["persistentVolumeClaim"]["claimName"]
            for v in pod["volumes"]
            if "persistentVolumeClaim" in v
        ]
        assert claims == [claim["metadata"]["name"]]
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {
            "/dev/shm",
            "/work/storage/artifacts",
        }
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
