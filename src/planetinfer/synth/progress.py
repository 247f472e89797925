"""Rich progress bar of a generation job: planets done, planets/s and failures so far."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn


class GenerationProgress:
    """Context manager; `chunk_callback()` for in-process chunks, `part_done(result)` per part."""

    def __init__(self, total: int, already: int = 0, enabled: bool = True):
        self.total, self.already, self.enabled = total, already, enabled
        self.finished = already  # planets in finished parts
        self.failures = 0
        self.start = time.perf_counter()
        self._progress = None

    def __enter__(self):
        if self.enabled:
            self._progress = Progress(
                TextColumn("synth"), BarColumn(),
                TextColumn("{task.completed:,.0f}/{task.total:,.0f} planets"),
                TextColumn("{task.fields[rate]:,.0f} planets/s"),
                TextColumn("failures {task.fields[failures]:,d}"), TimeRemainingColumn(),
                console=Console(stderr=True),  # stdout stays clean for --json
            )  # fmt: skip
            self._progress.__enter__()
            self._task = self._progress.add_task(
                "synth", total=self.total, completed=self.already, rate=0.0, failures=0
            )
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False

    def _show(self, completed: int) -> None:
        if self._progress is None:
            return
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = (completed - self.already) / elapsed
        self._progress.update(self._task, completed=completed, rate=rate, failures=self.failures)

    def chunk_callback(self):
        """A callable(done, total) for solve_batch's chunks within the current part."""
        base = self.finished
        return lambda done, _total: self._show(base + done)

    def part_done(self, result: dict) -> None:
        """Count a finished part (its size and its non-zero status codes)."""
        self.finished += result["size"]
        self.failures += sum(count for code, count in result["status"].items() if code != 0)
        self._show(self.finished)
