"""Run independent work units in-process, on a local Dask cluster, or on an existing scheduler.

The one module of planetinfer that knows about Dask (imported lazily, so the core runs without
it). A work unit is `fn(task)` for each task of a list; results are yielded as (task index, result)
in completion order, so callers can update progress bars and write results as they arrive.

    for index, result in run_tasks(fn, tasks, workers=4):          # LocalCluster, 4 processes
    for index, result in run_tasks(fn, tasks, scheduler="tcp://host:8786")  # existing cluster
    for index, result in run_tasks(fn, tasks)                      # in-process, in order

`fn` and the tasks must be picklable (module-level functions, plain data) for the Dask modes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from planetinfer.devices import DEVICES_VARIABLE
from planetinfer.errors import InputError


def check_arguments(workers: int | None, scheduler: str | None) -> None:
    """Raise InputError unless at most one of workers (>= 1) and scheduler is given."""
    _check(workers, scheduler)


def _check(workers: int | None, scheduler: str | None) -> None:
    if workers is not None and scheduler is not None:
        raise InputError("give either workers or scheduler, not both")
    if workers is not None and workers < 1:
        raise InputError(f"workers = {workers} is outside the valid range [1, inf)")


# One Dask worker is one core: its single task thread would otherwise run XLA's CPU thread pool
# over every core of the machine, so N workers would fight over the same cores. The flag only
# covers Eigen's pool; pin_process_to_core confines the rest of XLA's threads.
SINGLE_CORE_XLA_FLAGS = "--xla_cpu_multi_thread_eigen=false"


def single_core_environment() -> dict[str, str]:
    """Environment of a local worker process: the caller's XLA_FLAGS plus single-core XLA."""
    flags = os.environ.get("XLA_FLAGS", "")
    return {"XLA_FLAGS": f"{flags} {SINGLE_CORE_XLA_FLAGS}".strip(), "OMP_NUM_THREADS": "1",
            DEVICES_VARIABLE: "1"}  # fmt: skip


def pin_process_to_core(index: int) -> int | None:
    """Pin every thread of this process to one core of its allowed set (index modulo their
    number); threads started later inherit it. Returns the core, or None where the OS has no
    affinity call.

    Local workers need it besides single_core_environment: XLA's CPU runtime starts a thread
    pool as large as the machine, so two unpinned workers on two cores each run two busy threads
    and halve each other's speed (measured: 303 planets/s per worker unpinned against 650 pinned
    on the `planetinfer` prior).
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    core = cores[index % len(cores)]
    for thread in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(thread), {core})
        except OSError:  # a thread that has just exited
            pass
    return core


def _one_core_per_worker_plugin():
    """A Dask worker plugin pinning local worker `name` (0, 1, ...) to core `name`."""
    from dask.distributed import WorkerPlugin

    class OneCorePerWorker(WorkerPlugin):
        def setup(self, worker):
            try:
                pin_process_to_core(int(worker.name))
            except (TypeError, ValueError):  # a worker with a non-numeric name stays unpinned
                pass

    return OneCorePerWorker()


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None):
    """A dask.distributed Client: LocalCluster with `workers` processes, or `scheduler` address."""
    _check(workers, scheduler)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise InputError(
            "Dask is needed for --workers/--scheduler: pip install 'planetinfer[dask]'"
        ) from error
    if scheduler is not None:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env=single_core_environment(),
    )
    client = Client(cluster)
    # one core per worker (more workers than cores share them evenly)
    client.register_plugin(_one_core_per_worker_plugin())
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def run_tasks(
    fn: Callable[[Any], Any],
    tasks: Sequence[Any],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield (index, fn(tasks[index])) for every task, in completion order.

    In-process (sequential, in order) unless `workers` (>= 1, local Dask cluster) or `scheduler`
    (address of a running Dask scheduler) is given. Exceptions in a task propagate.
    """
    _check(workers, scheduler)
    if workers is None and scheduler is None:
        for index, task in enumerate(tasks):
            yield index, fn(task)
        return
    with dask_client(workers, scheduler) as client:  # says which extra to install if needed
        from dask.distributed import as_completed

        futures = {client.submit(fn, task, pure=False): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            yield futures[future], future.result()
