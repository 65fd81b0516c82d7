"""`scyc-tune dashboard`: a real optuna-dashboard over HTTP, read-only unless --allow-writes."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import optuna
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def storage(tmp_path):
    url = f"sqlite:///{tmp_path / 'scyc.db'}"
    for name in ("demo/cycle-1", "demo/fit-oracle"):
        study = optuna.create_study(study_name=name, storage=url, direction="maximize")
        study.add_trial(
            optuna.trial.create_trial(
                params={"max_lr": 0.1},
                distributions={"max_lr": optuna.distributions.FloatDistribution(0.01, 1)},
                value=0.5,
            )
        )
    return url


class Dashboard:
    def __init__(self, storage, *extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "scyc_tune", "dashboard", "--storage", storage]
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port), *extra],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.request("GET", "/api/meta")
                return
            except (urllib.error.URLError, ConnectionError) as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    err = self.proc.stderr.read()
                    raise AssertionError(f"dashboard did not start: {err}") from exc
                time.sleep(0.2)

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def studies(self):
        status, body = self.request("GET", "/api/studies")
        assert status == 200
        return {s["study_name"]: s["study_id"] for s in json.loads(body)["study_summaries"]}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def test_read_only_by_default(storage):
    dash = Dashboard(storage)
    try:
        studies = dash.studies()
        assert set(studies) == {"demo/cycle-1", "demo/fit-oracle"}
        status, body = dash.request("DELETE", f"/api/studies/{studies['demo/cycle-1']}")
        assert status == 403 and b"read-only" in body
        status, _ = dash.request(
            "POST", "/api/studies", {"study_name": "x", "directions": ["minimize"]}
        )
        assert status == 403
        status, _ = dash.request(
            "POST", f"/api/studies/{studies['demo/cycle-1']}/rename", {"study_name": "y"}
        )
        assert status == 403
        assert set(dash.studies()) == {"demo/cycle-1", "demo/fit-oracle"}  # nothing changed
        status, page = dash.request("GET", "/dashboard")
        assert status == 200 and b"<html" in page.lower()
    finally:
        dash.stop()
    assert optuna.load_study(study_name="demo/cycle-1", storage=storage).trials[0].value == 0.5


def test_writes_with_allow_writes(storage):
    dash = Dashboard(storage, "--allow-writes")
    try:
        studies = dash.studies()
        status, _ = dash.request("DELETE", f"/api/studies/{studies['demo/cycle-1']}")
        assert status in (200, 204)
        assert set(dash.studies()) == {"demo/fit-oracle"}
    finally:
        dash.stop()


def test_port_in_use_is_a_one_line_error(storage):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scyc_tune",
                "dashboard",
                "--storage",
                storage,
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "choose another --port" in done.stderr


def test_writes_from_the_network_need_a_second_flag(storage, capsys):
    from scyc_tune.cli.dashboard_cmd import is_loopback
    from scyc_tune.cli.main import main

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    assert main(["dashboard", "--storage", storage, "--host", "0.0.0.0", "--allow-writes"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--allow-writes-from-network" in err, err
