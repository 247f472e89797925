"""Turns on float64 in JAX, one CPU device per core (devices.py) and a persistent compilation
cache. Physics modules import this first.

The structure solver compiles in tens of seconds; caching the compiled kernels on disk
(~/.cache/planetinfer/jax, or $PLANETINFER_CACHE_DIR/jax; PLANETINFER_NO_CACHE=1 turns it off)
makes every later CLI call start in seconds.
"""

import os
from pathlib import Path

import jax

from planetinfer.devices import configure_cpu_devices

jax.config.update("jax_enable_x64", True)
configure_cpu_devices()

if not os.environ.get("PLANETINFER_NO_CACHE"):
    _root = Path(os.environ.get("PLANETINFER_CACHE_DIR", Path.home() / ".cache" / "planetinfer"))
    try:
        (_root / "jax").mkdir(parents=True, exist_ok=True)
        jax.config.update("jax_compilation_cache_dir", str(_root / "jax"))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 1.0)
    except OSError:  # a read-only home: run without the cache
        pass
