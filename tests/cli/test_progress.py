"""StepProgress: one line per finished item in a log, one Tally for the display and the
summary, ETAs only from what this invocation trained."""

import io
import re

from rich.console import Console

from scyc_tune.cli.progress import StepProgress, Tally, format_eta


def _log_console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=False, soft_wrap=True, width=60), buf


def test_a_log_gets_one_whole_line_per_finished_item():
    console, buf = _log_console()
    with StepProgress("oracle", console) as p:
        p.start(4, 1, description="cycle 2/6 (lambda 50)")
        p.tally.loaded += 1
        p.finished("trained", "max_lr 0.08 53.1%")
        p.finished("failed", "max_lr 0.16 failed")
        p.finished("lost", "max_lr 0.32 lost with its worker")
    lines = buf.getvalue().splitlines()
    assert len(lines) == 4  # the phase, then one per item, nothing drawn at the end
    assert lines[0].endswith("cycle 2/6 (lambda 50): 3 to run, 1 already stored")
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d cycle 2/6 \(lambda 50\): max_lr 0\.08 53\.1% "
        r"\[2/4; trained 1, loaded 1; eta ~0:\d\d\]",
        lines[1],
    ), lines[1]
    assert "[3/4; trained 1, loaded 1, failed 1; eta" in lines[2]
    assert lines[3].endswith("[4/4; trained 1, loaded 1, failed 1, lost 1; eta 0:00]")
    assert all(len(line) > 60 for line in lines[1:])  # never cut at the console's width
    assert p.tally == Tally(trained=1, loaded=1, failed=1, lost=1)


def test_no_eta_before_anything_was_trained_and_loaded_items_do_not_count():
    console, _ = _log_console()
    p = StepProgress("compare", console)
    p.start(10, 0)
    assert p.eta() == "eta ?"
    for _ in range(5):
        p.finished("loaded", "from storage")
    assert p.eta() == "eta ?"  # loading took no time: it says nothing about training
    p.finished("trained", "one")
    assert p.eta().startswith("eta ~")


def test_tally_text_shows_the_counts_that_happened():
    assert Tally().text() == "trained 0, loaded 0"
    assert Tally(trained=2, loaded=3, retried=1).text() == "trained 2, loaded 3, retried 1"
    assert format_eta(None) == "eta ?"
    assert format_eta(75) == "eta ~1:15"
    assert format_eta(3725) == "eta ~1:02:05"


def test_a_terminal_gets_a_live_bar_with_the_same_counts():
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=150)
    with StepProgress("oracle", console) as p:
        p.start(2, 0)
        p.finished("trained", "a")
        p.finished("trained", "b")
    text = buf.getvalue()
    assert "trained 2, loaded 0" in text
    assert "[2/2;" not in text  # no log lines in a terminal
