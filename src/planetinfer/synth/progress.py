"""Progress of a generation job on stderr: planets done, planets/s and failures so far.

A Rich bar on a terminal, a plain line every few seconds in a log (planetinfer.progress). The
first line says how the job is split and that the first part of each process also compiles the
structure solver, so a log is never silent through a first run's compilation.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack


class GenerationProgress:
    """Context manager; `chunk_callback()` for in-process chunks, `part_done(result)` per part."""

    def __init__(self, total: int, already: int = 0, enabled: bool = True, parts: int = 0,
                 processes: str = "in this process"):  # fmt: skip
        self.total, self.already, self.enabled = total, already, enabled
        self.parts, self.processes = parts, processes
        self.finished = already  # planets in finished parts
        self.failures = 0
        self._stack = ExitStack()
        self._update = None

    def __enter__(self):
        if self.enabled:
            from planetinfer.progress import reporter

            todo = self.total - self.already
            print(f"synth: {todo:,} planets to solve in {self.parts} parts {self.processes} "
                  f"({self.already:,} already on disk); the first part in each process also "
                  "compiles the structure solver (minutes on a first run on this machine)",
                  file=sys.stderr, flush=True)  # fmt: skip
            self._update = self._stack.enter_context(reporter("synth", unit="planets", already=self.already))
        return self

    def __exit__(self, *exc):
        self._stack.close()
        return False

    def _show(self, completed: int) -> None:
        if self._update is not None:
            self._update(completed, self.total, f"failures {self.failures:,}")

    def chunk_callback(self):
        """A callable(done, total) for solve_batch's chunks within the current part."""
        base = self.finished
        return lambda done, _total: self._show(base + done)

    def part_done(self, result: dict) -> None:
        """Count a finished part (its size and its non-zero status codes)."""
        self.finished += result["size"]
        self.failures += sum(count for code, count in result["status"].items() if code != 0)
        self._show(self.finished)
