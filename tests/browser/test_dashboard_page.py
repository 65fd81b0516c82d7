"""`scyc-tune dashboard` serves optuna-dashboard's single-page app, and it lists our studies."""

import optuna
import pytest

pytestmark = pytest.mark.browser

STUDIES = ("demo/cycle-0", "demo/fit-oracle")


@pytest.fixture
def storage(tmp_path):
    url = f"sqlite:///{tmp_path / 'scyc.db'}"
    for name in STUDIES:
        study = optuna.create_study(study_name=name, storage=url, direction="maximize")
        study.add_trial(
            optuna.trial.create_trial(
                params={"max_lr": 0.1},
                distributions={"max_lr": optuna.distributions.FloatDistribution(0.01, 1)},
                value=0.5,
            )
        )
    return url


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
