"""On-disk cache of computed EoS grids in the user's cache directory (never in the repository).

Building the temperature-dependent tables costs a few seconds of JAX compilation and solving per
process; the grids are saved as .npz files keyed by a SHA-256 of the table's name, its grid and
the source code of this package (any edit of an eos/*.py file invalidates every entry).
Directory: $PLANETINFER_CACHE_DIR, else $XDG_CACHE_HOME/planetinfer/eos, else
~/.cache/planetinfer/eos. Set PLANETINFER_NO_CACHE=1 to disable. Files are written to a
temporary name and renamed, so a crashed write never leaves a corrupt entry.
"""

from __future__ import annotations

import functools
import hashlib
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def cache_directory() -> Path:
    """Directory for cached grids (see module docstring)."""
    if os.environ.get("PLANETINFER_CACHE_DIR"):
        return Path(os.environ["PLANETINFER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "planetinfer" / "eos"


@functools.lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """SHA-256 of every .py file of planetinfer.eos (sorted by name)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_arrays(key: str, compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """compute() once per key and source version; later calls load the saved arrays."""
    if os.environ.get("PLANETINFER_NO_CACHE") == "1":
        return compute()
    name = hashlib.sha256((key + source_fingerprint()).encode()).hexdigest()[:24]
    path = cache_directory() / f"{name}.npz"
    if path.exists():
        try:
            with np.load(path) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
            pass  # unreadable entry (cut short, empty, foreign): recompute and replace it
    arrays = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only home etc.: the cache is only an optimisation
    return arrays
