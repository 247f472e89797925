"""The index page of a catalogue run: population figures and a table linking every report."""

from __future__ import annotations

import html
import math


def _cell(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return html.escape(str(value))


def write_index(summary, path, catalog: str) -> None:
    """index.html: M-R diagram coloured by P(envelope), lifetime against flux, one table row
    per planet (link to its report, or the reason it was skipped)."""
    from planetinfer.characterisation import curves
    from planetinfer.characterisation.report import STYLE, figure_data
    from planetinfer.plots import characterisation as plots

    done = summary[summary["status"] != "skipped"]
    images = ""
    if len(done):
        images += f"<img alt='mass-radius' src='{figure_data(plots.population_mass_radius(done, curves.load())[0])}'>"
        images += f"<img alt='lifetimes' src='{figure_data(plots.population_lifetime(done)[0])}'>"
    rows = []
    for record in summary.to_dict("records"):
        name = _cell(record["planet"])
        link = f"<a href='{html.escape(str(record['report']))}'>{name}</a>" if isinstance(
            record.get("report"), str) else name  # fmt: skip
        p_env = record.get("p_no_envelope")
        p_env = None if p_env is None or p_env != p_env else 1.0 - p_env
        rows.append(f"<tr><td>{link}</td><td>{_cell(record.get('mass_p50'))}</td>"
                    f"<td>{_cell(record.get('radius'))}</td><td>{_cell(p_env)}</td>"
                    f"<td>{_cell(record.get('p_envelope_10gyr_network'))}</td>"
                    f"<td>{_cell(record.get('interior_status'))}</td>"
                    f"<td>{_cell(record.get('reason'))}</td></tr>")  # fmt: skip
    table = ("<table><tr><th>planet</th><th>mass [M_E] (median)</th><th>radius [R_E]</th>"
             "<th>P(envelope) now</th><th>P(envelope) at 10 Gyr (network)</th>"
             "<th>interior</th><th>skipped because</th></tr>" + "".join(rows) + "</table>")  # fmt: skip
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>planetinfer catalogue run</title>
<style>{STYLE}</style></head><body><h1>Catalogue: {html.escape(catalog)}</h1>
<p>{len(done)} planets characterised, {len(summary) - len(done)} skipped.</p>
{images}{table}</body></html>
"""
    from pathlib import Path

    Path(path).write_text(text, encoding="utf-8")
