"""planetinfer.parallel: in-process and local Dask execution give the same results."""

import math

import pytest

from planetinfer.errors import InputError
from planetinfer.parallel import check_arguments, run_tasks


def _square(x):
    return x * x


def test_in_process_order():
    assert list(run_tasks(_square, [1, 2, 3])) == [(0, 1), (1, 4), (2, 9)]


def test_local_cluster_matches_in_process():
    pytest.importorskip("dask.distributed")
    # a function importable by the worker processes (test modules are not, under importlib mode)
    results = dict(run_tasks(math.factorial, list(range(5)), workers=1))
    assert results == dict(run_tasks(math.factorial, list(range(5))))


def test_bad_arguments():
    with pytest.raises(InputError, match="either"):
        list(run_tasks(_square, [1], workers=2, scheduler="tcp://x:1"))
    with pytest.raises(InputError, match="workers"):
        list(run_tasks(_square, [1], workers=0))
    with pytest.raises(InputError, match="workers"):
        check_arguments(0, None)
    check_arguments(None, "tcp://x:1")  # valid: only checked, nothing started


def test_pin_process_to_core_confines_every_thread():
    import os
    import threading

    from planetinfer.parallel import pin_process_to_core

    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no CPU affinity calls on this OS")
    allowed = os.sched_getaffinity(0)
    started = threading.Event()
    worker = threading.Thread(target=started.wait)  # a thread that exists before pinning
    worker.start()
    try:
        core = pin_process_to_core(len(allowed) + 1)  # wraps around the allowed cores
        assert core == sorted(allowed)[(len(allowed) + 1) % len(allowed)]
        for thread in os.listdir("/proc/self/task"):
            assert os.sched_getaffinity(int(thread)) == {core}
    finally:
        started.set()
        worker.join()
        for thread in os.listdir("/proc/self/task"):
            os.sched_setaffinity(int(thread), allowed)


def test_workers_without_dask_name_the_extra(monkeypatch):
    """--workers without the dask extra: a one-line InputError saying what to install."""
    import sys

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if absent
    with pytest.raises(InputError, match=r"planetinfer\[dask\]"):
        list(run_tasks(abs, [1, -2], workers=2))
