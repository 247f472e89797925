"""How many XLA devices JAX runs on the CPU, and asking for more before its backend starts.

JAX gives one CPU device by default. One XLA computation on it uses only part of a second core
(a lockstep batch of planets is one long loop), so large structure batches run faster split over
one device per core: `structure.solve_batch` does that whenever JAX has several devices
(benchmarks/structure_throughput.py on the 2-core CPU, 10,000 seager2007 planets, median of 5
solves: 7,875 planets/s with one device, 10,003-10,804 with two). The number of CPU devices can only be set before JAX starts its backend,
so `planetinfer._jaxconfig`, which every physics module imports first, asks for one device per
usable core. PLANETINFER_CPU_DEVICES=N overrides that (local Dask workers, each pinned to one
core, run with 1); XLA_FLAGS=--xla_force_host_platform_device_count=N is left alone.
Single-device work (networks, samplers) keeps running on the first device.
"""

from __future__ import annotations

import os

import jax


def backend_started() -> bool:
    """Whether JAX has started a backend (after which its device count is fixed)."""
    try:
        from jax._src import xla_bridge  # private: only asks whether the backend has started

        return bool(getattr(xla_bridge, "_backends", {}))
    except ImportError:
        return False


def usable_cores() -> int:
    """Cores this process may run on (its affinity set where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


DEVICES_VARIABLE = "PLANETINFER_CPU_DEVICES"


def default_cpu_devices() -> int:
    """$PLANETINFER_CPU_DEVICES if set (a positive integer), else the usable cores."""
    value = os.environ.get(DEVICES_VARIABLE, "")
    return max(1, int(value)) if value.strip().isdigit() else usable_cores()


def configure_cpu_devices(n: int | None = None) -> bool:
    """Set JAX's CPU device count to `n` (default: `default_cpu_devices()`) if its backend has
    not started and XLA_FLAGS does not fix the count. Returns whether it was set; starts nothing.
    """
    if backend_started() or "xla_force_host_platform_device_count" in os.environ.get(
        "XLA_FLAGS", ""
    ):
        return False
    jax.config.update("jax_num_cpu_devices", max(1, n or default_cpu_devices()))
    return True
