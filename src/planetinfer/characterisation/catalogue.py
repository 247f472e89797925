"""Characterise a whole catalogue: one summary row and one report per planet, resumable.

Selection: every planet below `max_mass` M_E, or below `max_radius` R_E when its mass is not a
measurement (missing, an upper limit, or the archive's own mass-radius estimate). Planets go in
chunks; each finished chunk writes its reports (reports/<planet>.json and .html) and then its
summary rows (parts/part-NNNNN.parquet, by an atomic rename). A rerun with the same settings
skips finished chunks, so a killed run loses at most the chunks in flight and never writes a row
twice. Bad or incomplete rows are kept with status "skipped" and the reason. At the end the
parts are joined into summary.parquet and an index.html with population figures links every
report. Chunks run in-process, or on a local Dask cluster (`workers`) or an existing one
(`scheduler`), as synth does (planetinfer.parallel).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError

MANIFEST = "manifest.json"
MEASURED = ("Mass", "Msini", "Msin(i)/sin(i)")


def select(table, max_mass: float = 25.0, max_radius: float = 6.0):
    """Rows to characterise: mass below max_mass, or radius below max_radius when the mass is
    not a measurement (catalogue order kept)."""
    mass = table["pl_bmasse"]
    measured = mass.notna()
    if "pl_bmassprov" in table:
        measured &= table["pl_bmassprov"].isin(MEASURED)
    if "pl_bmasselim" in table:
        measured &= table["pl_bmasselim"].fillna(0) != 1
    keep = (measured & (mass < max_mass)) | (~measured & (table["pl_rade"] < max_radius))
    return table[keep.fillna(False)]


def slug(name: str) -> str:
    """A file name for a planet: letters, digits and '_' only."""
    return re.sub(r"[^A-Za-z0-9]+", "_", str(name)).strip("_") or "planet"


def run_chunk(task: dict) -> int:
    """Characterise one chunk of planets and write its reports and part file (atomic)."""
    from planetinfer.api.characterise import Characterisation  # noqa: F401  (warm import)
    from planetinfer.characterisation.inputs import from_catalog_row
    from planetinfer.characterisation.report import render
    from planetinfer.characterisation.run import run_chain
    from planetinfer.characterisation.summary import flat_row

    out = Path(task["out"])
    rows = []
    for record in task["planets"]:
        name = str(record.get("pl_name"))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # every warning is kept in the report
                result = run_chain(from_catalog_row(record), **task["settings"])
                html = render(result) if task["figures"] else render(result, {})
        except InputError as error:
            rows.append({"planet": name, "status": "skipped", "reason": str(error)})
            continue
        stem = out / "reports" / slug(name)
        stem.with_suffix(".json").write_text(result.to_json(indent=1))
        stem.with_suffix(".html").write_text(html, encoding="utf-8")
        rows.append({**flat_row(result.report), "report": f"reports/{slug(name)}.html"})
    _write_part(out / "parts" / f"part-{task['index']:05d}.parquet", rows)
    return len(rows)


def _write_part(path: Path, rows: list[dict]) -> None:
    import pandas as pd

    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    pd.DataFrame(rows).to_parquet(tmp)
    os.replace(tmp, path)


def _manifest(out: Path, config: dict) -> None:
    """Write the run's configuration, or check that a resumed run has the same one."""
    path = out / MANIFEST
    if path.is_file():
        old = json.loads(path.read_text())
        if old != config:
            changed = sorted(k for k in config if old.get(k) != config[k])
            raise InputError(f"out = {out} holds a run with other settings ({', '.join(changed)})"
                             "; use a new folder")  # fmt: skip
        return
    path.write_text(json.dumps(config, indent=1, sort_keys=True))


def run_catalogue(catalog, out, *, max_mass: float = 25.0, max_radius: float = 6.0,
                  draws: int = 1000, samples: int = 10_000, tracks: int = 32, seed: int = 0,
                  chunk: int = 32, figures: bool = False, limit: int | None = None,
                  workers: int | None = None, scheduler: str | None = None,
                  progress=None) -> dict:  # fmt: skip
    """Characterise the selected planets of a PSCompPars export into folder `out`.

    progress: optional callable(done_planets, total_planets). Returns counts and paths.
    """
    from planetinfer.catalog import read_pscomppars
    from planetinfer.locking import exclusive
    from planetinfer.parallel import check_arguments

    check_arguments(workers, scheduler)
    table = read_pscomppars(catalog, required=("pl_rade", "pl_bmasse"))
    chosen = select(table, max_mass, max_radius)
    if limit is not None:
        chosen = chosen.iloc[:limit]
    out = Path(out)
    with exclusive(out):
        return _run(table, chosen, catalog, out, draws, samples, tracks, seed, chunk, figures,
                    limit, max_mass, max_radius, workers, scheduler, progress)  # fmt: skip


def _run(table, chosen, catalog, out, draws, samples, tracks, seed, chunk, figures, limit,
         max_mass, max_radius, workers, scheduler, progress) -> dict:  # fmt: skip
    from planetinfer.parallel import run_tasks

    for sub in ("reports", "parts"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    settings = {"draws": draws, "samples": samples, "tracks": tracks, "seed": seed}
    _manifest(out, {"catalog_sha256": table.attrs["snapshot"].sha256, "max_mass": max_mass,
                    "max_radius": max_radius, "chunk": chunk, "figures": figures,
                    "limit": limit, **settings})  # fmt: skip
    records = chosen.replace({np.nan: None}).to_dict("records")
    tasks = [{"index": i // chunk, "planets": records[i : i + chunk], "settings": settings,
              "out": str(out), "figures": figures} for i in range(0, len(records), chunk)]  # fmt: skip
    todo = [t for t in tasks if not (out / "parts" / f"part-{t['index']:05d}.parquet").is_file()]
    done = sum(len(t["planets"]) for t in tasks) - sum(len(t["planets"]) for t in todo)
    if progress is not None:
        progress(done, len(records))
    for index, _ in run_tasks(run_chunk, todo, workers=workers, scheduler=scheduler):
        done += len(todo[index]["planets"])
        if progress is not None:
            progress(done, len(records))
    return finish(out, catalog)


def finish(out: Path, catalog) -> dict:
    """Join the parts into summary.parquet and write index.html; returns counts and paths."""
    import pandas as pd

    from planetinfer.characterisation.index import write_index

    parts = sorted((out / "parts").glob("part-*.parquet"))
    summary = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True) if parts else (
        pd.DataFrame(columns=["planet", "status", "reason"]))  # fmt: skip
    summary.to_parquet(out / "summary.parquet")
    write_index(summary, out / "index.html", str(catalog))
    skipped = summary[summary["status"] == "skipped"]
    return {"planets": int(len(summary)), "characterised": int(len(summary) - len(skipped)),
            "skipped": int(len(skipped)), "summary": str(out / "summary.parquet"),
            "index": str(out / "index.html")}  # fmt: skip
