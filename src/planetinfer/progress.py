"""Progress of long jobs on stderr: a Rich bar on a terminal, else a plain line every few seconds
(logs and CI), so stdout stays clean for --json. `quiet` shows nothing."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

LINE_EVERY_S = 5.0


@contextmanager
def reporter(label: str, quiet: bool = False):
    """Yield a callable(done, total) that shows progress (items, rate) for the `with` block."""
    start = time.perf_counter()
    if quiet:
        yield lambda done, total: None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True) as bar:  # fmt: skip
            task = bar.add_task(label, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    last = [0.0]

    def line(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= LINE_EVERY_S or done == total:
            last[0] = now
            rate = done / max(now - start, 1e-9)
            print(f"{label}: {done}/{total} ({rate:.2f}/s, {now - start:.0f} s)", file=sys.stderr,
                  flush=True)  # fmt: skip

    yield line
