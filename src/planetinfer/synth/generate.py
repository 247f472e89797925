"""Generate a synthetic data set: draw planets from a prior, solve their structure, store parts.

Parts are the unit of work and of resumption. Part i holds ids [i * part_size, ...) drawn with
the seed `SeedSequence([seed, i])`, so any part can be (re)computed alone, by any worker, and a
resumed job writes exactly the rows an uninterrupted one would. Finished parts are skipped.

    summary = generate("planetinfer", 1_000_000, "data/pi1M", workers=2)
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planetinfer import __version__
from planetinfer.constants import R_EARTH
from planetinfer.errors import InputError
from planetinfer.synth import store
from planetinfer.synth.priors import LAYERS, Prior, load_prior, prior_from_dict

MAX_N = 10**10


@dataclass(frozen=True)
class PartTask:
    """Everything a worker needs to produce one part (plain data, picklable)."""

    directory: str
    index: int
    start: int  # first id
    size: int  # rows
    seed: int  # master seed
    prior: dict  # Prior.to_dict()
    model: str
    envelope_model: str
    batch_size: int


def part_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed of part `index`: a SeedSequence keyed by (master seed, part index)."""
    return np.random.SeedSequence([seed, index])


def solve_part(task: PartTask, on_chunk: Callable[[int, int], None] | None = None) -> dict:
    """Draw and solve one part's planets; return its table columns (see store.COLUMNS)."""
    from planetinfer.structure.solve import solve_batch  # JAX is imported by workers only

    draws = prior_from_dict(task.prior).sample(task.size, part_seed(task.seed, task.index))
    out = solve_batch(
        draws["mass_earth"], draws["mass_fractions"], draws["teq"], model=task.model,
        envelope=task.envelope_model, on_invalid="flag", batch_size=task.batch_size,
        progress=on_chunk,
    )  # fmt: skip
    columns = {
        "id": np.arange(task.start, task.start + task.size, dtype=np.int64),
        "mass_earth": draws["mass_earth"],
        "teq": draws["teq"],
        "model": np.full(task.size, task.model, dtype=object),
        "envelope_model": np.full(task.size, task.envelope_model, dtype=object),
        "radius_earth": out["radius"] / R_EARTH,
        "k2": out["k2"],
        "moment_of_inertia": out["moment_of_inertia"],
        "central_pressure_pa": out["central_pressure"],
        "central_temperature_k": out["central_temperature"],
        "status": out["status"].astype(np.int16),
        "iterations": out["iterations"].astype(np.int32),
    }
    for j, layer in enumerate(LAYERS):
        columns[f"{layer}_mass_fraction"] = draws["mass_fractions"][:, j]
        columns[f"{layer}_radius_fraction"] = out["radius_fractions"][:, j]
    return columns


def run_part(task: PartTask, on_chunk: Callable[[int, int], None] | None = None) -> dict:
    """Solve and write one part; return its index, size, status counts, wall time, peak RSS."""
    start, cpu_start = time.perf_counter(), time.process_time()
    columns = solve_part(task, on_chunk)
    store.write_part(task.directory, task.index, columns)
    codes, counts = np.unique(columns["status"], return_counts=True)
    return {
        "index": task.index,
        "size": task.size,
        "status": {int(c): int(k) for c, k in zip(codes, counts, strict=True)},
        "wall_s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu_start,  # all threads of the worker process
        # ru_maxrss is in KiB on Linux: the worker process's peak resident memory so far
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def _check_integer(name: str, value, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise InputError(
            f"{name} = {value!r} is outside the valid range [{low}, {high}] (an integer)"
        )
    return int(value)


def plan(prior: Prior, n: int, out, model: str, envelope: str | None, part_size: int, seed: int,
         batch_size: int | None) -> tuple[dict, list[PartTask]]:  # fmt: skip
    """Validate the job and return its manifest and the tasks of all its parts."""
    from planetinfer.structure.presets import build_model

    n = _check_integer("n", n, 1, MAX_N)
    part_size = _check_integer("part_size", part_size, 1, MAX_N)
    seed = _check_integer("seed", seed, 0, 2**63 - 1)
    envelope = prior.envelope_model if envelope is None else envelope
    build_model(model, envelope=envelope)  # InputError for an unknown model or envelope
    batch_size = _check_integer("batch_size", batch_size or min(part_size, 10_000), 1, 10**7)
    n_parts = -(-n // part_size)
    manifest = {
        "format": store.FORMAT,
        "prior": prior.to_dict(),
        "n": n,
        "part_size": part_size,
        "n_parts": n_parts,
        "seed": seed,
        "model": model,
        "envelope_model": envelope,
        "solver_options": {"batch_size": batch_size, "on_invalid": "flag"},
        "package_version": __version__,
        "columns": store.COLUMNS.names,
        "part_seed": "numpy SeedSequence([seed, part_index]); ids [i*part_size, (i+1)*part_size)",
    }
    tasks = [
        PartTask(
            str(out),
            i,
            i * part_size,
            min(part_size, n - i * part_size),
            seed,
            prior.to_dict(),
            model,
            envelope,
            batch_size,
        )
        for i in range(n_parts)
    ]
    return manifest, tasks


def generate(
    prior: str | Path | Prior,
    n: int,
    out: str | Path,
    model: str = "baumeister2020",
    envelope: str | None = None,
    part_size: int = 50_000,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    batch_size: int | None = None,
) -> dict:
    """Generate (or resume) n synthetic planets into the directory `out`.

    prior: built-in name or TOML path; envelope: "cold" or "teq" (default: the prior's).
    In-process unless `workers` (local Dask cluster) or `scheduler` (Dask address) is given.
    Returns a summary: counts per status, parts written and skipped, wall time, planets/s.
    """
    from planetinfer.parallel import check_arguments

    check_arguments(workers, scheduler)
    prior = load_prior(prior)
    manifest, tasks = plan(prior, n, Path(out), model, envelope, part_size, seed, batch_size)
    with exclusive_job(out):
        return _generate(prior, out, manifest, tasks, workers, scheduler, progress, model)


def exclusive_job(out):
    """The output directory's write lock (one generate job per directory)."""
    from planetinfer.locking import exclusive

    if Path(out).exists() and not Path(out).is_dir():
        raise InputError(f"--out {out} exists and is not a directory")
    return exclusive(out)


def _generate(prior, out, manifest, tasks, workers, scheduler, progress, model) -> dict:
    from planetinfer.parallel import run_tasks
    from planetinfer.synth.progress import GenerationProgress

    done = set(store.open_job(out, manifest, prior.source_text))
    todo = [task for task in tasks if task.index not in done]
    already = sum(task.size for task in tasks if task.index in done)
    start = time.perf_counter()
    results = []
    where = ("in this process" if workers is None and scheduler is None
             else f"on {workers} local workers" if workers else f"on the cluster at {scheduler}")
    with GenerationProgress(manifest["n"], already, progress, len(todo), where) as bar:
        if workers is None and scheduler is None:
            for task in todo:  # in-process: progress per solver chunk
                results.append(run_part(task, bar.chunk_callback()))
                bar.part_done(results[-1])
        else:
            for _, result in run_tasks(run_part, todo, workers=workers, scheduler=scheduler):
                results.append(result)
                bar.part_done(result)
    wall = time.perf_counter() - start
    counts = store.status_counts(out)
    written = sum(r["size"] for r in results)
    store.update_manifest(out, counts={"rows": sum(counts.values()), "status": counts},
                          complete=len(store.finished_parts(out)) == len(tasks))  # fmt: skip
    return {
        "out": str(out),
        "prior": prior.name,
        "model": model,
        "envelope_model": manifest["envelope_model"],
        "n": manifest["n"],
        "n_parts": len(tasks),
        "parts_skipped": len(done),
        "parts_written": len(results),
        "planets_written": written,
        "wall_s": wall,
        "planets_per_s": written / wall if wall > 0 else float("nan"),
        "status_counts": counts,
        "failure_fraction": 1.0 - counts.get(0, 0) / max(sum(counts.values()), 1),
        "peak_rss_bytes": max((r["peak_rss_bytes"] for r in results), default=0),
        "part_wall_s": [r["wall_s"] for r in results],
        "part_cpu_s": [r["cpu_s"] for r in results],
    }


__all__ = ["PartTask", "generate", "part_seed", "plan", "run_part", "solve_part"]
