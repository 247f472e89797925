"""Analysis of an ensemble store: summary statistics, Table D.1 and the WMH26 figures."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError
from planetinfer.gravity import discontinuities as disc
from planetinfer.gravity.ensemble import load_ensembles
from planetinfer.gravity.statistics import summary

SMALL_SAMPLE = 100  # accepted profiles below which the statistics get a warning


TITLES = {  # what each figure shows (WMH26 figure numbers)
    "fig01_j2_j4.png": "J2 and J4 of the profiles (Fig. 1)",
    "fig02_density_percentiles.png": "density percentiles (Figs 2b, 3b)",
    "fig04_central_density.png": "central density (Fig. 4)",
    "fig05_interval_widths.png": "widths of the density intervals (Fig. 5)",
    "fig06_pressure.png": "pressure percentiles (Fig. 6)",
    "fig07_nmoi.png": "normalised moment of inertia (Fig. 7)",
    "fig08_equatorial_radius.png": "equatorial over mean radius (Fig. 8)",
    "fig09_discontinuity_intensity.png": "where density jumps (Fig. 9)",
    "fig10_discontinuity_count.png": "discontinuities per profile (Fig. 10)",
    "fig11_count_vs_criterion.png": "discontinuity count against c_D (Fig. 11)",
}


def analyze_store(store, out, c_d: float = 100.0) -> dict:
    """Write summary.json, table_d1.json and figures into `out`; return the summary dict.

    store: one store path, or a list of stores of the same planet and sampler configuration
    (e.g. different seeds), which are pooled.
    """
    from planetinfer.plots import gravity as gplot
    from planetinfer.plots._common import save

    stores = [store] if isinstance(store, (str, Path)) else list(store)
    data = load_ensembles(stores)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    man = data["manifest"]
    label = str(stores[0]) if len(stores) == 1 else [str(s) for s in stores]
    from planetinfer import __version__

    result = {"planetinfer_version": __version__, "store": label, "planet": man["planet"]["name"],
              "n_levels": int(man["sampler"]["n_levels"]), "c_d_kg_m3_per_level": float(c_d),
              "summary": summary(data)}  # fmt: skip
    acc = data["accepted"]
    if acc.sum() < SMALL_SAMPLE:
        note = (f"only {int(acc.sum())} accepted profiles: density peaks, KDE modes and 95 % "
                f"widths are not reliable below ~{SMALL_SAMPLE} (WMH26 use ~10^5 runs)")
        warnings.warn(note, stacklevel=2)
        result["small_sample_warning"] = note
    if acc.sum() == 0:
        (out / "summary.json").write_text(json.dumps(result, indent=2))
        return result
    w = data["weight"][acc]
    rho = data["rho_final"][acc]
    planet = man["planet"]
    cov = np.array(
        [
            [
                planet["sigma_j2"] ** 2,
                planet["correlation"] * planet["sigma_j2"] * planet["sigma_j4"],
            ],
            [
                planet["correlation"] * planet["sigma_j2"] * planet["sigma_j4"],
                planet["sigma_j4"] ** 2,
            ],
        ]
    )
    figures = {
        "fig01_j2_j4.png": lambda: gplot.j2_j4(
            data["j2n"][acc], w, np.array([planet["j2"], planet["j4"]]), cov
        ),
        "fig02_density_percentiles.png": lambda: gplot.percentile_contours(rho, w),
        "fig04_central_density.png": lambda: gplot.weighted_histogram(
            rho[:, -1] / 1e3, w, "central density [g cm$^{-3}$]", unit="g cm$^{-3}$"
        ),
        "fig05_interval_widths.png": lambda: gplot.interval_widths(rho, w),
        "fig06_pressure.png": lambda: gplot.percentile_contours(
            data["pressure"][acc], w, scale=1e-9, ylabel="pressure [GPa]"
        ),
        "fig07_nmoi.png": lambda: gplot.weighted_histogram(data["nmoi"][acc], w, "C / (M R$^2$)"),
        "fig08_equatorial_radius.png": lambda: gplot.weighted_histogram(
            data["req_over_rmean"][acc], w, "$R_{eq} / R_{mean}$"
        ),
    }
    centres, intensity = disc.intensity_profile(rho, w, c_d)
    counts = np.array([len(x) for x in disc.catalogue(rho, c_d)])
    rows = disc.counts_versus_criterion(rho, w)
    n_levels = rho.shape[1]
    figures["fig09_discontinuity_intensity.png"] = lambda: gplot.intensity(
        centres, intensity, n_levels
    )
    figures["fig10_discontinuity_count.png"] = lambda: gplot.weighted_histogram(
        counts, w, f"discontinuities per profile (c_D = {c_d:g})", bins=np.arange(-0.5, 30.5)
    )
    figures["fig11_count_vs_criterion.png"] = lambda: gplot.counts_versus_criterion(rows, n_levels)
    name = man["planet"]["name"]  # a preset such as "uranus-wmh26": the planet, then the preset
    planet_label = name.capitalize() if "-" not in name else (
        f"{name.split('-')[0].capitalize()} ({name})")  # fmt: skip
    accepted = f"{planet_label}, {int(acc.sum()):,} accepted profiles"
    for name, make in figures.items():
        fig, ax = make()
        ax.set_title(f"{TITLES[name]}\n{accepted}", fontsize=9)
        save(fig, out / name)
    result["summary"]["discontinuity_intensity_peak_r_over_R"] = float(
        centres[(centres > 0.2) & (centres < 0.95)][
            np.argmax(intensity[(centres > 0.2) & (centres < 0.95)])
        ]
    )
    result["summary"]["mean_discontinuities_at_c_d"] = float(np.average(counts, weights=w))
    result["table_d1"] = rows
    result["figures"] = sorted(figures)
    (out / "summary.json").write_text(json.dumps(result, indent=2))
    return result


def require_store(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError(f"store = {str(path)!r} does not exist")
    return path
