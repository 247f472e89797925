"""On-disk layout of a synthetic data set: `manifest.json`, `prior.toml` and Parquet parts.

    DIR/manifest.json          job description (prior, seed, model, sizes, version) + counts
    DIR/prior.toml             the prior's config text
    DIR/part-00000.parquet     rows with ids [0, part_size), written as .tmp then renamed
    DIR/part-00000.parquet.sha256  its checksum and row count (checked on every read; a resumed
                               job recomputes a part that fails it)
    DIR/.lock                  held by the job writing here (locking.py)
    ...

Columns and units are in `COLUMNS` (Earth units and SI at this file edge, docs/synth.md).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from planetinfer.errors import InputError

FORMAT = "planetinfer.synth/1"
MANIFEST = "manifest.json"
PRIOR_FILE = "prior.toml"
PART_PATTERN = re.compile(r"^part-(\d{5,})\.parquet$")
# keys that describe the results; a resumed job must match all of them
JOB_KEYS = ("format", "prior", "n", "part_size", "n_parts", "seed", "model", "envelope_model",
            "solver_options", "package_version")  # fmt: skip

COLUMNS = pa.schema([
    ("id", pa.int64()),                      # global planet index 0..N-1
    ("mass_earth", pa.float64()),            # total mass [M_E]
    ("core_mass_fraction", pa.float64()),
    ("mantle_mass_fraction", pa.float64()),
    ("water_mass_fraction", pa.float64()),
    ("envelope_mass_fraction", pa.float64()),
    ("teq", pa.float64()),                   # equilibrium temperature [K]
    ("model", pa.string()),                  # structure preset
    ("envelope_model", pa.string()),         # "cold" or "teq"
    ("radius_earth", pa.float64()),          # transit radius [R_E = 6378.1 km]
    ("k2", pa.float64()),                    # fluid Love number
    ("moment_of_inertia", pa.float64()),     # C / (M R^2)
    ("core_radius_fraction", pa.float64()),  # layer thickness / R
    ("mantle_radius_fraction", pa.float64()),
    ("water_radius_fraction", pa.float64()),
    ("envelope_radius_fraction", pa.float64()),
    ("central_pressure_pa", pa.float64()),
    ("central_temperature_k", pa.float64()),
    ("status", pa.int16()),                  # structure status code (0 ok)
    ("iterations", pa.int32()),              # shooting iterations
])  # fmt: skip


def part_path(directory: str | Path, index: int) -> Path:
    return Path(directory) / f"part-{index:05d}.parquet"


def finished_parts(directory: str | Path) -> list[int]:
    """Indices of the complete parts (renamed from .tmp) in the directory, sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = (PART_PATTERN.match(p.name) for p in directory.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def write_part(directory: str | Path, index: int, columns: dict[str, np.ndarray]) -> Path:
    """Write one part atomically: to `part-NNNNN.parquet.tmp`, then os.replace to its name."""
    table = pa.table({name: columns[name] for name in COLUMNS.names}, schema=COLUMNS)
    final = part_path(directory, index)
    temporary = final.with_name(final.name + ".tmp")
    pq.write_table(table, temporary, compression="zstd")
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _write_json_atomic(checksum_path(final), {"sha256": _sha256(final), "rows": table.num_rows})
    return final


def checksum_path(part: Path) -> Path:
    """The part's checksum file, `part-NNNNN.parquet.sha256` (JSON: sha256, rows)."""
    return part.with_name(part.name + ".sha256")


def _sha256(path: Path) -> str:
    from planetinfer.catalog import file_sha256  # the project's one file hash

    return file_sha256(path)


def part_problem(part: Path) -> str | None:
    """Why a finished part cannot be trusted (None when it is sound).

    With its checksum file: the sha256 must match. Without one (a part of an older job, or a job
    killed between the part's rename and its checksum): the Parquet footer must be readable.
    """
    record = checksum_path(part)
    if record.is_file():
        try:
            expected = json.loads(record.read_text())["sha256"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return f"its checksum file {record.name} is unreadable"
        return None if _sha256(part) == expected else "its sha256 does not match"
    try:
        pq.read_metadata(part)
    except (OSError, pa.ArrowException) as error:
        return f"it is not readable Parquet ({error})"
    return None


def discard_corrupt_parts(directory: str | Path) -> list[tuple[int, str]]:
    """Remove finished parts that fail part_problem (resume recomputes them); returns
    [(index, reason)]."""
    removed = []
    for index in finished_parts(directory):
        part = part_path(directory, index)
        problem = part_problem(part)
        if problem:
            part.unlink()
            checksum_path(part).unlink(missing_ok=True)
            removed.append((index, problem))
    return removed


def _write_json_atomic(path: Path, payload: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    os.replace(temporary, path)


def read_manifest(path: str | Path) -> dict:
    """The manifest of a data set directory (or of the manifest file itself)."""
    path = Path(path)
    file = path / MANIFEST if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"{path} holds no {MANIFEST}: not a planetinfer synth data set")
    try:
        return json.loads(file.read_text())
    except json.JSONDecodeError as error:
        raise InputError(f"{file} is not valid JSON: {error}") from error


def _differences(old: dict, new: dict) -> list[str]:
    normalise = lambda value: json.loads(json.dumps(value, sort_keys=True))  # noqa: E731
    return [key for key in JOB_KEYS if normalise(old.get(key)) != normalise(new.get(key))]


def open_job(directory: str | Path, manifest: dict, prior_text: str) -> list[int]:
    """Create the directory and its manifest, or check that it holds the same job (resume).

    Returns the indices of the parts already finished. On resume, files left in flight by a
    killed job (`*.tmp`) are removed and a finished part without its checksum file gets one. A
    directory with another job's manifest, or with parts but no manifest, raises InputError and
    is left untouched (the caller holds the directory's lock).
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"--out {directory} exists and is not a directory")
    if (directory / MANIFEST).is_file():
        differing = _differences(read_manifest(directory), manifest)
        if differing:
            raise InputError(
                f"--out {directory} holds another job (different {', '.join(differing)}); "
                "choose a new directory (nothing was overwritten)"
            )
        for stale in directory.glob("*.tmp"):  # writes in flight when the job was killed
            stale.unlink()
        for index, problem in discard_corrupt_parts(directory):
            warnings.warn(f"part {index} of {directory} was corrupt ({problem}): recomputing it",
                          stacklevel=2)  # fmt: skip
        finished = finished_parts(directory)
        for index in finished:  # killed between a part's rename and its checksum: write it now
            part = part_path(directory, index)
            if not checksum_path(part).is_file():
                rows = pq.read_metadata(part).num_rows
                _write_json_atomic(checksum_path(part), {"sha256": _sha256(part), "rows": rows})
        return finished
    if finished_parts(directory):
        raise InputError(f"--out {directory} holds parts but no {MANIFEST}; choose a new directory")
    directory.mkdir(parents=True, exist_ok=True)
    if prior_text:
        (directory / PRIOR_FILE).write_text(prior_text)
    _write_json_atomic(directory / MANIFEST, manifest)
    return []


def update_manifest(directory: str | Path, **fields) -> dict:
    """Add or replace non-job fields (counts, timings) of the manifest, atomically."""
    if set(fields) & set(JOB_KEYS):
        raise ValueError(f"job keys cannot be updated: {sorted(set(fields) & set(JOB_KEYS))}")
    manifest = read_manifest(directory)
    manifest.update(fields)
    _write_json_atomic(Path(directory) / MANIFEST, manifest)
    return manifest


def part_files(path: str | Path) -> list[Path]:
    """The finished parts of a data set, each checked (part_problem); InputError names a bad
    one and how to mend it."""
    indices = finished_parts(path)
    if not indices:
        raise InputError(f"{path} holds no finished part-NNNNN.parquet files")
    parts = [part_path(path, i) for i in indices]
    for part in parts:
        problem = part_problem(part)
        if problem:
            raise InputError(f"{part} is corrupt: {problem}; run the same `planetinfer synth "
                             "generate` command again to recompute it")  # fmt: skip
    return parts


def read_dataset(path: str | Path, dask: bool = False, columns: list[str] | None = None):
    """All finished parts as one pandas DataFrame sorted by id, or a Dask DataFrame (dask=True).

    Parts hold consecutive id ranges, so the Dask DataFrame's partitions are in id order.
    """
    files = part_files(path)
    if dask:
        import dask.dataframe as dd

        return dd.read_parquet([str(f) for f in files], columns=columns)
    table = pa.concat_tables(_read_part(f, columns) for f in files)
    frame = table.to_pandas()
    if "id" in frame:
        frame = frame.sort_values("id", kind="stable").reset_index(drop=True)
    return frame


def _read_part(part: Path, columns=None) -> pa.Table:
    try:
        return pq.read_table(part, columns=columns)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{part} is corrupt ({error}); run the same `planetinfer synth "
                         "generate` command again to recompute it") from error  # fmt: skip


def status_counts(path: str | Path) -> dict[int, int]:
    """Number of planets per status code over the finished parts."""
    codes = pa.concat_tables(_read_part(f, ["status"]) for f in part_files(path))
    values, counts = np.unique(codes.column("status").to_numpy(), return_counts=True)
    return {int(v): int(c) for v, c in zip(values, counts, strict=True)}
