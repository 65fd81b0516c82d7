"""Progress for the long-running commands: a live bar in a terminal, one line per finished
trial or cycle in a log, and one :class:`Tally` of counts that both, and the summary, print.

The ETA is an estimate from this invocation's own pace: elapsed time over the items trained
now, times what is left; items loaded from storage take no time and do not count, and there
is no ETA ("eta ?") until the first item is trained.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, fields

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)


def err_console() -> Console:
    """stderr; in a log (not a terminal) lines are never wrapped or cut."""
    return Console(stderr=True, soft_wrap=not sys.stderr.isatty())


@dataclass
class Tally:
    """What an invocation did, counted once for the display and the summary."""

    trained: int = 0  # trained by this invocation
    loaded: int = 0  # found in storage (this or another command trained it before)
    failed: int = 0  # raised an exception (the error is reported)
    lost: int = 0  # its worker died (retried by the next run)
    retried: int = 0  # left unfinished by a killed earlier run, started again
    stopped: int = 0  # stopped early on purpose (ASHA, an Optuna pruner)

    def text(self) -> str:
        """``trained 3, loaded 2`` and whichever other counts are not zero."""
        parts = [f"trained {self.trained}", f"loaded {self.loaded}"]
        for f in fields(self)[2:]:
            n = getattr(self, f.name)
            if n:
                parts.append(f"{f.name} {n}")
        return ", ".join(parts)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "eta ?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"eta ~{h}:{m:02d}:{s:02d}" if h else f"eta ~{m}:{s:02d}"


class StepProgress:
    """One step's progress over ``total`` items (trials, cycles). Use as a context manager.

    ``finished(kind, what)`` counts an item under ``kind`` (a :class:`Tally` field) and, in a
    log, prints one line: ``12:00:03 oracle cycle 1/6 (lambda 100): max_lr 0.08 53.1% [3/8;
    trained 3, loaded 0; eta ~0:12]``. ``status(text)`` shows extra state in the live bar.
    """

    def __init__(self, description: str, console: Console | None = None) -> None:
        self.console = console or err_console()
        self.live = self.console.is_terminal
        self.tally = Tally()
        self.description = description
        self.total: int | None = None
        self.completed = 0
        self._extra = ""
        self._t0 = time.monotonic()
        self._trained_at_start = 0
        self._bar = (
            Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=12),
                MofNCompleteColumn(),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[eta]}"),
                console=self.console,
                transient=False,
            )
            if self.live
            else None
        )
        self._task = None

    def __enter__(self) -> StepProgress:
        if self._bar is not None:
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=None, status="", eta="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._refresh()
            self._bar.__exit__(*exc)

    def start(
        self, total: int | None, done: int = 0, description: str | None = None, log: bool = True
    ) -> None:
        """A new phase (a cycle) of ``total`` items, ``done`` of them already stored."""
        self.total, self.completed = total, done
        self._extra = ""
        if description is not None:
            self.description = description
        # the pace is measured per phase: what earlier phases trained says little about this one
        self._t0 = time.monotonic()
        self._trained_at_start = self.tally.trained + self.tally.failed
        if not self.live and log and total is not None:
            self._line(f"{total - done} to run, {done} already stored")
        self._refresh()

    def extend(self, more: int, done: int = 0) -> None:
        """The phase grew by ``more`` items, ``done`` of them already stored (an oracle cycle
        whose grid grows or is refined)."""
        self.total = (self.total or 0) + more
        self.completed += done
        if not self.live:
            self._line(f"{more - done} more to run, {done} already stored")
        self._refresh()

    def status(self, text: str) -> None:
        self._extra = text
        self._refresh()

    def finished(self, kind: str, what: str = "", log: bool = True) -> None:
        """One item done; ``log=False`` for steps of many instant items (no line each)."""
        setattr(self.tally, kind, getattr(self.tally, kind) + 1)
        self.completed += 1
        if not self.live and log:
            self._line(f"{what} [{self._counts()}; {self.tally.text()}; {self.eta()}]")
        self._refresh()

    def note(self, text: str) -> None:
        """A line in both modes (above the live bar in a terminal)."""
        self.console.print(text)

    def eta(self) -> str:
        if self.total is None:
            return ""
        left = self.total - self.completed
        if left <= 0:
            return "eta 0:00"
        done_now = self.tally.trained + self.tally.failed - self._trained_at_start
        if done_now <= 0:
            return format_eta(None)
        return format_eta((time.monotonic() - self._t0) / done_now * left)

    def _counts(self) -> str:
        return f"{self.completed}/{self.total}" if self.total is not None else str(self.completed)

    def _line(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.console.print(f"{stamp} {self.description}: {text}", highlight=False, markup=False)

    def _refresh(self) -> None:
        if self._bar is None or self._task is None:
            return
        extra = f"; {self._extra}" if self._extra else ""
        self._bar.update(
            self._task,
            description=self.description,
            total=self.total,
            completed=self.completed,
            status=self.tally.text() + extra,
            eta=self.eta(),
        )
