"""Progress of long jobs on stderr: a Rich bar on a terminal, else a plain line every few seconds
(logs and CI), so stdout stays clean for --json. `quiet` shows nothing.

`notice` is for one-off messages about slow steps (compiling a solver on the first run on a
machine): the library logs them on the "planetinfer" logger at INFO; the command line shows
that logger on stderr (`show_notices`), a Python session shows them once it enables logging.
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager

LINE_EVERY_S = 5.0
LOGGER = logging.getLogger("planetinfer")


def notice(message: str) -> None:
    """One line about a slow step, e.g. "compiling the structure solver (first run ...)"."""
    LOGGER.info(message)


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (it may be replaced later)."""

    def emit(self, record) -> None:
        self.stream = sys.stderr
        super().emit(record)


def show_notices() -> None:
    """Print the "planetinfer" logger's INFO lines on stderr: the command line's set-up."""
    if any(getattr(h, "_planetinfer", False) for h in LOGGER.handlers):
        return
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._planetinfer = True
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)


def on_terminal() -> bool:
    """Whether stderr is a terminal (a live bar) rather than a log or a pipe (plain lines)."""
    return sys.stderr.isatty()


@contextmanager
def reporter(label: str, quiet: bool = False, unit: str = "", already: int = 0):
    """Yield a callable(done, total, detail="") that shows progress for the `with` block.

    On a terminal a Rich bar (count, detail, time left); elsewhere a line on stderr at most every
    LINE_EVERY_S seconds and at the end: "label: done/total unit (rate/s, elapsed s) detail".
    `already`: items done before this job started (a resumed job), left out of the rate.
    """
    start = time.perf_counter()
    if quiet:
        yield lambda done, total, detail="": None
        return
    if on_terminal():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[detail]}"), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True) as bar:  # fmt: skip
            task = bar.add_task(label, total=None, detail="")
            yield lambda done, total, detail="": bar.update(
                task, completed=done, total=total, detail=detail
            )
        return
    last = [0.0]
    suffix = f" {unit}" if unit else ""

    def line(done: int, total: int, detail: str = "") -> None:
        now = time.perf_counter()
        if now - last[0] >= LINE_EVERY_S or done == total:
            last[0] = now
            rate = (done - already) / max(now - start, 1e-9)
            tail = f" {detail}" if detail else ""
            print(f"{label}: {_count(done)}/{_count(total)}{suffix} ({rate:,.2f}/s, "
                  f"{now - start:.0f} s){tail}",
                  file=sys.stderr, flush=True)  # fmt: skip

    yield line


def _count(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


@contextmanager
def stages(label: str, quiet: bool = False):
    """Yield a callable(text) naming the current stage of a job whose length is unknown.

    A Rich spinner with the text and the elapsed time on a terminal; elsewhere "label: text
    (elapsed s)" on stderr at most every LINE_EVERY_S seconds.
    """
    if quiet:
        yield lambda text: None
        return
    start = time.perf_counter()
    if on_terminal():
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn(label), TextColumn("{task.description}"),
                      TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True) as bar:  # fmt: skip
            task = bar.add_task("", total=None)
            yield lambda text: bar.update(task, description=text)
        return
    last = [-LINE_EVERY_S]

    def line(text: str) -> None:
        now = time.perf_counter()
        if now - last[0] >= LINE_EVERY_S:
            last[0] = now
            print(f"{label}: {text} ({now - start:.0f} s)", file=sys.stderr, flush=True)

    yield line
