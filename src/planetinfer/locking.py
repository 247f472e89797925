"""One writer per output directory: an advisory lock on `<dir>/.lock` (fcntl.flock).

A long job (synth generate, gravity sample, characterise --all) holds the lock of its output
directory while it runs; a second job started on the same directory stops at once with a
one-line error instead of recomputing everything and racing on the same temporary files. The
kernel drops the lock when the process ends, however it ends, so a killed job never leaves a
stale lock behind. Dask workers write distinct part files and need no lock of their own.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from planetinfer.errors import InputError

LOCK_FILE = ".lock"


@contextlib.contextmanager
def exclusive(directory: str | Path, option: str = "--out"):
    """Hold the write lock of `directory` (created if missing) for the duration of the block.

    Raises InputError naming the option and the other job's process id when it is taken.
    """
    import fcntl

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOCK_FILE
    handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise InputError(f"{option} {directory}: another job (process {holder}) is writing "
                             "there; wait for it or choose another directory") from None  # fmt: skip
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield path
    finally:
        handle.close()
