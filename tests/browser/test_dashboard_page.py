"""`scyc-tune dashboard` serves optuna-dashboard's single-page app, and it lists our studies."""

import json
import urllib.request
from datetime import UTC, datetime, timedelta

import optuna
import pytest

from scyc_tune.store import mirror_trial

pytestmark = pytest.mark.browser

CYCLE = "demo/cycle-3"  # internal cycle 2, as the oracle mirrors it
STUDIES = (CYCLE, "demo/fit-oracle")
T0 = datetime(2025, 1, 2, 12, 0, 0, tzinfo=UTC)
RUNS = [(0.03, 0.5, "complete", 90), (0.1, 0.75, "complete", 150), (1.0, None, "fail", 30)]

# Resolves once the Timeline plot has drawn its bars; returns each bar's length in ms.
TIMELINE = """() => {
    const el = document.getElementById('graph-timeline');
    if (!el || !el.data || !el.querySelector('.main-svg .trace')) return null;
    return el.data.flatMap(t => t.x);
}"""


@pytest.fixture
def storage(tmp_path):
    url = f"sqlite:///{tmp_path / 'scyc.db'}"
    for i, (max_lr, value, state, seconds) in enumerate(RUNS):
        start = T0 + timedelta(minutes=3 * i)
        mirror_trial(
            url,
            CYCLE,
            [0.03, 0.1, 1.0],
            max_lr,
            value,
            state,
            {"run_id": f"r{i}"},
            cycle=2,
            percent_remaining=64.0,
            datetime_start=start,
            datetime_complete=start + timedelta(seconds=seconds),
        )
    study = optuna.create_study(study_name="demo/fit-oracle", storage=url, direction="maximize")
    study.add_trial(
        optuna.trial.create_trial(
            params={"max_lr": 0.1},
            distributions={"max_lr": optuna.distributions.FloatDistribution(0.01, 1)},
            value=0.5,
        )
    )
    return url


def study_id(base: str, name: str) -> int:
    with urllib.request.urlopen(base + "/api/studies", timeout=10) as r:
        summaries = json.loads(r.read())["study_summaries"]
    return next(s["study_id"] for s in summaries if s["study_name"] == name)


def test_dashboard_lists_studies(tmp_path, storage, dashboard_server, offline_page):
    base = dashboard_server(storage)
    page, log = offline_page()
    page.goto(base, wait_until="load", timeout=30_000)
    # The study list is rendered by JavaScript after /api/studies answers.
    page.wait_for_function(
        "names => names.every(n => document.body.innerText.includes(n))",
        arg=list(STUDIES),
        timeout=30_000,
    )
    text = page.evaluate("document.body.innerText")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert all(name in text for name in STUDIES), text
    assert log.errors == []
    assert log.external_requests == []  # the SPA's assets all come from the dashboard itself
    assert shot.stat().st_size > 1024


def test_a_cycle_study_shows_its_metric_lambda_and_timeline(
    tmp_path, storage, dashboard_server, offline_page
):
    base = dashboard_server(storage)
    page, log = offline_page()
    page.set_viewport_size({"width": 1300, "height": 1000})
    page.goto(f"{base}/dashboard/studies/{study_id(base, CYCLE)}", wait_until="load")
    page.wait_for_function(
        "() => document.body.innerText.includes('Study User Attributes')", timeout=30_000
    )
    bars = page.wait_for_function(TIMELINE, timeout=30_000).json_value()
    text = page.evaluate("document.body.innerText")
    page.screenshot(path=str(tmp_path / "cycle.png"), full_page=True)
    assert f"{CYCLE} (id=" in text
    assert "val_acc" in text and "Objective 0" not in text  # the objective has its name
    attrs = dict(line.split("\t") for line in text.splitlines() if line.count("\t") == 1)
    assert attrs["lambda"] == "64.0" and attrs["cycle"] == "3" and attrs["cycle_index"] == "2"
    assert attrs["study"] == "demo"
    assert sorted(bars) == [30_000, 90_000, 150_000]  # each run's real length, in ms
    assert "Jan 2, 2025" in text  # the timeline's axis: the runs' dates, not today's
    assert log.errors == [] and log.external_requests == []
