"""Ensembles of sampler runs in a zarr store: chunked, resumable, parallel over Dask workers.

Store layout (one zarr group):
  attrs["manifest"]  configuration (planet, sampler config, seed, chunk size, N); a resumed run
                     must match it exactly (the number of runs may grow).
  run_index, rho_start, rho_final, pressure, j2n, nmoi, req_over_rmean, rpol_over_rmean, alpha,
  epochs, converged, cost, d2, rho_max_ok, accepted, weight: arrays with the run on axis 0.
  done/chunk-XXXXXX.json  marker written (tmp + rename) after a chunk's rows are written; a
                     killed job loses at most the chunks in flight and never duplicates a row.

Acceptance (WMH26 Sect. 2.2, 3.1): max rho <= rho_max and (J2, J4) inside the multivariate
3-sigma region, d^2 = (J - J_obs)^T Cov^-1 (J - J_obs) <= d2_max (9 by default: the literal
reading; 11.83 is the 2-D 99.73 % contour). Weights: Gaussian likelihood exp(-d^2/2).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError
from planetinfer.gravity.planets import Planet
from planetinfer.gravity.sampler import SamplerConfig

SCALARS = {
    "run_index": "int64",
    "nmoi": "float64",
    "req_over_rmean": "float64",
    "rpol_over_rmean": "float64",
    "alpha": "float64",
    "epochs": "int64",
    "converged": "bool",
    "cost": "float64",
    "d2": "float64",
    "rho_max_ok": "bool",
    "accepted": "bool",
    "weight": "float64",
    "tof_converged": "bool",
}
PROFILES = ("rho_start", "rho_final", "pressure")
SURFACE_PRESSURE = 1.0e5  # 1 bar outer boundary [Pa] (reference sheet Sect. 2.5)


def manifest(planet: Planet, cfg: SamplerConfig, seed: int, chunk_runs: int, d2_max: float) -> dict:
    return {
        "planet": {k: v for k, v in planet.to_dict().items()},
        "sampler": cfg.to_dict(),
        "seed": int(seed),
        "chunk_runs": int(chunk_runs),
        "d2_max": float(d2_max),
        "format": "planetinfer.gravity.ensemble/1",
    }


def open_store(path, man: dict, runs: int):
    """Create or reopen the store, check the manifest, grow the arrays to `runs` rows."""
    import zarr

    path = Path(path)
    group = zarr.open_group(str(path), mode="a")
    old = group.attrs.get("manifest")
    if old is not None and old != json.loads(json.dumps(man)):
        raise InputError(f"store {str(path)!r} holds a different configuration; use a new --out")
    if old is None:
        group.attrs["manifest"] = man
    n, order, chunk = man["sampler"]["n_levels"], man["sampler"]["order"], man["chunk_runs"]
    for name, dtype in SCALARS.items():
        _ensure(group, name, (runs,), (chunk,), dtype)
    for name in PROFILES:
        _ensure(group, name, (runs, n), (chunk, n), "float64")
    _ensure(group, "j2n", (runs, order), (chunk, order), "float64")
    (path / "done").mkdir(exist_ok=True)
    return group


def _ensure(group, name, shape, chunks, dtype):
    if name in group:
        arr = group[name]
        if arr.shape[0] < shape[0]:
            arr.resize(shape)
        return arr
    fill = False if dtype == "bool" else (-1 if dtype == "int64" else np.nan)
    return group.create_array(name, shape=shape, chunks=chunks, dtype=dtype, fill_value=fill)


def done_chunks(path, chunk_runs: int) -> dict[int, int]:
    """{chunk index: end of its finished runs (exclusive)} from the done markers."""
    done = {}
    for marker in (Path(path) / "done").glob("chunk-*.json"):
        record = json.loads(marker.read_text())
        chunk = int(marker.stem.split("-")[1])
        # "end": the run after the chunk's last finished one (older markers hold only the
        # count of runs of a chunk that started at chunk * chunk_runs)
        done[chunk] = int(record.get("end", chunk * chunk_runs + record["runs"]))
    return done


def finished_runs(path) -> int:
    """Runs already in a store (0 when there is none)."""
    path = Path(path)
    if not (path / "done").is_dir():
        return 0
    import zarr

    chunk = zarr.open_group(str(path), mode="r").attrs["manifest"]["chunk_runs"]
    return sum(end - c * chunk for c, end in done_chunks(path, chunk).items())


def stored_chunk_runs(path) -> int | None:
    """The chunk size a store was made with (None when there is no store)."""
    path = Path(path)
    if not (path / "done").is_dir():
        return None
    import zarr

    return int(zarr.open_group(str(path), mode="r").attrs["manifest"]["chunk_runs"])


def default_chunk_runs(runs: int, batch: int) -> int:
    """Runs per stored chunk: 4 x batch (a pool of `batch` slots refilled four times); for jobs
    under 32 batches runs / 8, never below one batch (a pool is the unit of work), so that a
    killed small job loses less and its progress moves more than once."""
    return max(1, min(4 * batch, max(batch, runs // 8), runs))


def chunk_ranges(runs: int, chunk_runs: int) -> list[tuple[int, int, int]]:
    """(chunk index, first run, end run) covering runs 0..runs-1."""
    return [(c, a, min(a + chunk_runs, runs)) for c, a in enumerate(range(0, runs, chunk_runs))]


def evaluate_runs(record, planet: Planet, cfg: SamplerConfig, d2_max: float, pad_to: int):
    """Converged ToF of every final profile and the acceptance/weights; dict of arrays."""
    from planetinfer.gravity.tof import solve

    r = len(record.run_index)
    pad = max(pad_to, r)
    rho = np.concatenate([record.rho_final, np.repeat(record.rho_final[:1], pad - r, 0)])
    shape = np.concatenate([record.shape, np.repeat(record.shape[:1], pad - r, 0)])
    fig = solve(
        rho,
        radius_m=planet.radius_mean,
        gm=planet.gm,
        period_s=planet.period_s,
        reference_radius_m=planet.reference_radius,
        order=cfg.order,
        surface_pressure=SURFACE_PRESSURE,
        s_init=shape,
    )
    j2n = np.asarray(fig.j2n)[:r]
    cov = planet.covariance if cfg.use_covariance else np.diag(np.diag(planet.covariance))
    d = j2n[:, :2] - planet.j_obs
    d2 = np.einsum("ri,ij,rj->r", d, np.linalg.inv(cov), d)
    rho_ok = record.rho_final.max(axis=1) <= planet.rho_max
    accepted = rho_ok & (d2 <= d2_max)
    return {
        "run_index": record.run_index,
        "rho_start": record.rho_start,
        "rho_final": record.rho_final,
        "pressure": np.asarray(fig.pressure)[:r],
        "j2n": j2n,
        "nmoi": np.asarray(fig.nmoi)[:r],
        "req_over_rmean": np.asarray(fig.req_over_rmean)[:r],
        "rpol_over_rmean": np.asarray(fig.rpol_over_rmean)[:r],
        "alpha": record.alpha,
        "epochs": record.epochs,
        "converged": record.converged,
        "cost": record.cost,
        "d2": d2,
        "rho_max_ok": rho_ok,
        "accepted": accepted,
        "weight": np.where(accepted, np.exp(-0.5 * d2), 0.0),
        "tof_converged": np.asarray(fig.converged)[:r],
    }


def run_chunk(task: dict) -> dict:
    """Work unit: sample runs [first, end), evaluate, write rows, then the done marker."""
    import zarr

    from planetinfer.gravity.planets import Planet
    from planetinfer.gravity.sampler import run_pool

    planet = Planet(**task["planet"])
    cfg = SamplerConfig(**task["sampler"])
    first, end = task["first"], task["end"]
    record = run_pool(
        planet,
        range(first, end),
        task["seed"],
        cfg,
        batch=task["batch"],
        on_epoch=task.get("on_epoch"),
    )
    rows = evaluate_runs(record, planet, cfg, task["d2_max"], pad_to=task["chunk_runs"])
    group = zarr.open_group(task["store"], mode="r+")
    for name, values in rows.items():
        group[name][first:end] = values
    marker = Path(task["store"]) / "done" / f"chunk-{task['chunk']:06d}.json"
    summary = {
        "chunk": task["chunk"],
        "end": end,  # the chunk's runs are finished up to here (a grown store extends it)
        "runs": end - first,
        "accepted": int(rows["accepted"].sum()),
        "rho_max_ok": int(rows["rho_max_ok"].sum()),
    }
    tmp = marker.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(summary))
    os.replace(tmp, marker)
    return summary


def sample_ensemble(
    path,
    planet: Planet,
    cfg: SamplerConfig,
    runs: int,
    *,
    seed: int = 0,
    batch: int = 64,
    chunk_runs: int | None = None,
    d2_max: float = 9.0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress=None,
):
    """Fill the store at `path` with `runs` runs (resuming finished chunks); yields summaries.

    progress(event) is called with each chunk summary. Parallel over Dask with workers/scheduler.
    """
    from planetinfer.locking import exclusive

    if runs < 1:
        raise InputError(f"runs = {runs} is outside the valid range [1, inf)")
    chunk_runs = chunk_runs or stored_chunk_runs(path) or default_chunk_runs(runs, batch)
    man = manifest(planet, cfg, seed, chunk_runs, d2_max)
    with exclusive(path):
        return _fill(path, man, runs, seed, batch, chunk_runs, d2_max, workers, scheduler,
                     progress)  # fmt: skip


def _fill(path, man, runs, seed, batch, chunk_runs, d2_max, workers, scheduler, progress):
    from planetinfer.parallel import run_tasks

    open_store(path, man, runs)
    finished = done_chunks(path, chunk_runs)
    tasks = [
        {
            "store": str(path),
            "chunk": c,
            "first": a,
            "end": b,
            "planet": man["planet"],
            "sampler": man["sampler"],
            "seed": seed,
            "batch": batch,
            "chunk_runs": chunk_runs,
            "d2_max": d2_max,
        }
        for c, a, b in _unfinished(chunk_ranges(runs, chunk_runs), finished)
    ]
    summaries = []
    for _, summary in run_tasks(run_chunk, tasks, workers=workers, scheduler=scheduler):
        summaries.append(summary)
        if progress is not None:
            progress(summary)
    return summaries


def _unfinished(ranges, finished: dict) -> list[tuple[int, int, int]]:
    """The (chunk, first, end) still to run: whole chunks, or the new tail of a chunk that a
    smaller job finished (growing 32 runs to 40 in one chunk runs 32..39 only)."""
    todo = []
    for chunk, first, end in ranges:
        done_end = finished.get(chunk, first)
        if done_end < end:
            todo.append((chunk, done_end, end))
    return todo


def load_ensemble(path) -> dict:
    """All finished rows of a store as numpy arrays (unfinished rows dropped) + the manifest."""
    import zarr

    path = Path(path)
    if not (path / "done").is_dir():
        raise InputError(f"{str(path)!r} is not a gravity ensemble store")
    group = zarr.open_group(str(path), mode="r")
    man = dict(group.attrs["manifest"])
    chunk = man["chunk_runs"]
    rows = np.zeros(group["run_index"].shape[0], bool)
    for c, end in done_chunks(path, chunk).items():
        rows[c * chunk : end] = True
    data = {
        name: np.asarray(group[name][:])[rows[: group[name].shape[0]]]
        for name in (*SCALARS, *PROFILES, "j2n")
    }
    data["manifest"] = man
    return data


def load_ensembles(paths) -> dict:
    """Pool the finished rows of several stores (same planet, sampler and d2_max; seeds may differ).

    Returns the dict of `load_ensemble` with the arrays concatenated and the first manifest.
    """
    parts = [load_ensemble(p) for p in paths]
    if not parts:
        raise InputError("no store given")
    first = parts[0]["manifest"]
    for path, part in zip(paths, parts, strict=True):
        man = part["manifest"]
        for key in ("planet", "sampler", "d2_max"):
            if man[key] != first[key]:
                raise InputError(f"store {str(path)!r} differs in {key!r} from {str(paths[0])!r}")
    pooled = {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k != "manifest"}
    pooled["manifest"] = first
    return pooled
