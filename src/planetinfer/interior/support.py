"""Where an interior network has training data: prior bounds plus the data support.

A network is only trustworthy where training planets exist. The box of the inputs' ranges is not
that region: at 7.6 M_E and 381 K no training planet is larger than about 5 R_E, yet 9.7 R_E is
inside the box, and a network asked there returns a confident, impossible answer. The support is
therefore tabulated at training time from the training planets themselves:

- radius: the smallest and largest radius of the training planets in each bin of log mass (and of
  Teq for networks that take Teq);
- k2 (networks that take it): the smallest and largest k2 in each bin of log mass x log radius.

Bins: 24 in log10 mass over the prior's mass range (0.1 dex for 0.1-25 M_E), 19 in Teq over the
prior's Teq range (100 K for 100-2000 K), 24 in log10 radius over 0.3-20 R_E; fewer for a
training set too small to put ~100 planets in each (bin_counts). An input is inside
the support when its bin holds training planets and its value lies within their range. Bounds are
the prior's, not the extreme training values (a planet at the prior's 100 K edge is inside).
"""

from __future__ import annotations

import numpy as np

FORMAT = "planetinfer-interior-support-1"
MASS_BINS, TEQ_BINS, RADIUS_BINS = 24, 19, 24
PLANETS_PER_BIN = 100  # average planets per bin below which the bins are made coarser
RADIUS_RANGE = (0.3, 20.0)  # [R_E] edges of the radius bins of the k2 table
K2_RANGE = (0.0, 1.5)  # fluid Love number: 1.5 is the uniform sphere, the stiffest fluid body


def prior_bounds(manifest: dict, inputs, max_radius_earth: float, box: dict) -> dict:
    """{input: [low, high]} from the synth prior (mass, Teq), the radius cut and k2's range.

    box: the training inputs' {name: [min, max]}, used for mass and Teq when the data has no
    prior recorded (a DataFrame instead of a synth directory)."""
    prior = manifest.get("prior", {})

    def prior_range(name):
        spec = prior.get(name, {})
        if "low" in spec and "high" in spec:
            return [float(spec["low"]), float(spec["high"])]
        return [float(value) for value in box[name]]

    bounds = {"mass": prior_range("mass"), "radius": [0.0, float(max_radius_earth)]}
    if "teq" in inputs:
        bounds["teq"] = prior_range("teq")
    if "k2" in inputs:
        bounds["k2"] = list(K2_RANGE)
    return {name: bounds[name] for name in inputs}


def _bin_index(values, edges):
    """Bin of each value in edges (n_bins + 1,); -1 outside."""
    index = np.searchsorted(edges, values, side="right") - 1
    index = np.where(values == edges[-1], len(edges) - 2, index)
    return np.where((values >= edges[0]) & (values <= edges[-1]), index, -1)


def _extremes(values, index, shape):
    """Per-bin (min, max) of values; NaN in empty bins. index: (n,) flat bin index."""
    size = int(np.prod(shape))
    low = np.full(size, np.inf)
    high = np.full(size, -np.inf)
    np.minimum.at(low, index, values)
    np.maximum.at(high, index, values)
    empty = ~np.isfinite(low)
    low[empty], high[empty] = np.nan, np.nan
    return low.reshape(shape), high.reshape(shape)


def _listed(array):
    """Nested lists with None for NaN (strict JSON)."""
    return np.where(np.isnan(array), None, np.round(array, 6)).tolist()


def bin_counts(n_planets: int, two_dimensional: bool) -> tuple[int, int]:
    """(mass bins, second-axis bins): the full 24 x 19 (or 24 x 24) with enough planets, fewer
    for a small training set so that a bin holds ~PLANETS_PER_BIN planets on average (sparse
    bins would make the extremes, and so in_domain, noisy)."""
    cells = MASS_BINS * (TEQ_BINS if two_dimensional else 1)
    factor = min(1.0, (n_planets / (PLANETS_PER_BIN * cells)) ** (0.5 if two_dimensional else 1))
    return max(3, round(MASS_BINS * factor)), max(3, round(TEQ_BINS * factor))


def build_support(x_raw: np.ndarray, inputs, bounds: dict) -> dict:
    """The support table of a network from its training inputs x_raw (n, n_in), Earth units/K."""
    column = {name: x_raw[:, i] for i, name in enumerate(inputs)}
    n_mass, n_teq = bin_counts(x_raw.shape[0], "teq" in inputs)
    mass_edges = np.geomspace(*bounds["mass"], n_mass + 1)
    mass_bin = _bin_index(column["mass"], mass_edges)
    support = {"format": FORMAT, "rows": int(x_raw.shape[0]),
               "mass_edges": mass_edges.round(8).tolist()}  # fmt: skip
    keep = mass_bin >= 0
    if "teq" in inputs:
        teq_edges = np.linspace(*bounds["teq"], n_teq + 1)
        teq_bin = _bin_index(column["teq"], teq_edges)
        keep &= teq_bin >= 0
        flat, shape = mass_bin * n_teq + teq_bin, (n_mass, n_teq)
        support["teq_edges"] = teq_edges.round(6).tolist()
    else:
        flat, shape = mass_bin, (n_mass,)
    low, high = _extremes(column["radius"][keep], flat[keep], shape)
    support["radius_min"], support["radius_max"] = _listed(low), _listed(high)
    if "k2" in inputs:
        n_mass_k2, n_radius = bin_counts(x_raw.shape[0], True)
        n_radius = round(n_radius * RADIUS_BINS / TEQ_BINS)
        mass_edges_k2 = np.geomspace(*bounds["mass"], n_mass_k2 + 1)
        mass_bin_k2 = _bin_index(column["mass"], mass_edges_k2)
        radius_edges = np.geomspace(*RADIUS_RANGE, n_radius + 1)
        radius_bin = _bin_index(column["radius"], radius_edges)
        inside = (mass_bin_k2 >= 0) & (radius_bin >= 0)
        low, high = _extremes(column["k2"][inside], (mass_bin_k2 * n_radius + radius_bin)[inside],
                              (n_mass_k2, n_radius))  # fmt: skip
        support["k2_mass_edges"] = mass_edges_k2.round(8).tolist()
        support["radius_edges"] = radius_edges.round(8).tolist()
        support["k2_min"], support["k2_max"] = _listed(low), _listed(high)
    return support


def support_header(dataset, config, box: dict) -> dict:
    """{"bounds", "support"} of a network from its training split (interior.support)."""
    from planetinfer.interior import data as D  # pandas: training only, not prediction

    manifest = dataset.info.get("data", {}).get("manifest", {})
    max_radius = dataset.info.get("max_radius_earth", D.MAX_RADIUS_EARTH)
    bounds = prior_bounds(manifest, config.inputs, max_radius, box)
    x_train = D.inputs_array(dataset.part("train"), config.inputs)
    return {"bounds": bounds, "support": build_support(x_train, config.inputs, bounds)}


def _table(rows) -> np.ndarray:
    return np.asarray(rows, dtype=float)  # None -> nan; an array (as_arrays) is not copied


ARRAY_KEYS = ("mass_edges", "teq_edges", "radius_min", "radius_max", "k2_mass_edges",
              "radius_edges", "k2_min", "k2_max")  # fmt: skip


def as_arrays(support: dict | None) -> dict | None:
    """The support with its tables as float arrays (NaN for empty bins), converted once per
    loaded network instead of at every check."""
    if support is None:
        return None
    return {k: (np.array(v, dtype=float) if k in ARRAY_KEYS else v) for k, v in support.items()}


def check(x: np.ndarray, inputs, bounds: dict, support: dict | None) -> tuple[np.ndarray, list]:
    """(n,) bool inside the bounds and the support, and (n,) reasons (None where inside).

    x: (n, n_in) inputs in Earth units / K, ordered like `inputs`.
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    reasons = [None] * x.shape[0]
    ok = np.all(np.isfinite(x), axis=1)
    for i, name in enumerate(inputs):
        lo, hi = bounds[name]
        outside = ok & ((x[:, i] < lo) | (x[:, i] > hi))
        for row in np.flatnonzero(outside):
            reasons[row] = f"{name} = {x[row, i]:.6g} is outside the prior's [{lo:g}, {hi:g}]"
        ok &= ~outside
    if support is None:
        return ok, reasons
    column = {name: x[:, i] for i, name in enumerate(inputs)}
    mass_bin = _bin_index(column["mass"], _table(support["mass_edges"]))
    where = _Where(column["mass"], column.get("teq"))
    if "teq" in inputs:
        teq_bin = _bin_index(column["teq"], _table(support["teq_edges"]))
        index = (np.maximum(mass_bin, 0), np.maximum(teq_bin, 0))
    else:
        index = (np.maximum(mass_bin, 0),)
    low = _table(support["radius_min"])[index]
    high = _table(support["radius_max"])[index]
    ok = _mark(ok, column["radius"], low, high, reasons, where, "is larger than",
               "is smaller than", "R_E", "radius")  # fmt: skip
    if "k2" in inputs:
        k2_mass_edges = _table(support.get("k2_mass_edges", support["mass_edges"]))
        mass_bin_k2 = _bin_index(column["mass"], k2_mass_edges)
        radius_bin = _bin_index(column["radius"], _table(support["radius_edges"]))
        index = (np.maximum(mass_bin_k2, 0), np.maximum(radius_bin, 0))
        low = np.where(radius_bin >= 0, _table(support["k2_min"])[index], np.nan)
        high = np.where(radius_bin >= 0, _table(support["k2_max"])[index], np.nan)
        where = _Where(column["mass"], radius=column["radius"])
        ok = _mark(ok, column["k2"], low, high, reasons, where, "has k2 above", "has k2 below",
                   "", "k2")  # fmt: skip
    return ok, reasons


class _Where:
    """'7.6 M_E at 381 K' or '7.6 M_E and 9.7 R_E' for row i, formatted only when asked."""

    def __init__(self, mass, teq=None, radius=None):
        self.mass, self.teq, self.radius = mass, teq, radius

    def __getitem__(self, i) -> str:
        text = f"{self.mass[i]:.3g} M_E"
        if self.radius is not None:
            return f"{text} and {self.radius[i]:.3g} R_E"
        return text if self.teq is None else f"{text} at {self.teq[i]:.0f} K"


def _mark(ok, values, low, high, reasons, where, above, below, unit, name):
    """Mark rows whose value is outside [low, high] (or whose bin is empty) with a reason."""
    unit = f" {unit}" if unit else ""
    with np.errstate(invalid="ignore"):
        empty, over, under = np.isnan(low), values > high, values < low
    outside = ok & (empty | over | under)
    for row in np.flatnonzero(outside):  # reasons only for the rows outside
        if empty[row]:
            reasons[row] = f"no training planet of {where[row]}"
        elif over[row]:
            reasons[row] = (f"no training planet of {where[row]} {above} {high[row]:.3g}{unit} "
                            f"({name} {values[row]:.3g}{unit})")  # fmt: skip
        else:
            reasons[row] = (f"no training planet of {where[row]} {below} {low[row]:.3g}{unit} "
                            f"({name} {values[row]:.3g}{unit})")  # fmt: skip
    return ok & ~outside


MATCHING_KEYS = ("prior", "seed", "model", "envelope_model", "part_size")
MAX_ROW_MISMATCH = 0.1  # usable rows of a regeneration may differ by this fraction at most


def attach(loaded, data_dir, out_dir, command: str):
    """Write a copy of a network's header with "bounds" and "support" from its training data.

    data_dir must be a synth dataset drawn like the network's own (MATCHING_KEYS of the
    manifests equal); its planets with id below the network's data row count are the network's
    training planets (per-part seeds make a longer run of the same job extend a shorter one).
    Returns (header path, header).
    """
    from planetinfer.errors import InputError
    from planetinfer.interior import data as D
    from planetinfer.interior import store

    trained_on = loaded.header["data"]
    manifest = D.manifest_summary(data_dir)
    expected = trained_on.get("data", {}).get("manifest", {})
    differing = [key for key in MATCHING_KEYS if manifest.get("manifest", {}).get(key)
                 != expected.get(key)]  # fmt: skip
    if not manifest or differing:
        raise InputError(f"data = {data_dir} was not drawn like the model's training data "
                         f"(differs in {', '.join(differing) or 'manifest'})")  # fmt: skip
    frame, _ = D.read_frame(data_dir)
    frame = frame[frame["id"].to_numpy() < trained_on["rows"]]
    dataset = D.load(frame, trained_on.get("max_radius_earth", D.MAX_RADIUS_EARTH))
    dataset.info["data"] = manifest
    used, trained = dataset.info["rows_used"], trained_on["rows_used"]
    if abs(used - trained) > MAX_ROW_MISMATCH * trained:
        raise InputError(f"data = {data_dir} gives {used} usable rows, the model was trained on "
                         f"{trained}: not the same planets")  # fmt: skip
    extra = support_header(dataset, loaded.config, loaded.header["domain"])
    # a regeneration by another package version can solve a few planets differently: recorded
    extra["support"]["data"] = {
        "path": str(data_dir), "sha256": manifest["sha256"],
        "package_version": manifest["manifest"].get("package_version"),
        "rows_used": used, "rows_used_in_training": trained,
    }  # fmt: skip
    extra["support"]["command"] = command
    return store.rewrite_header(loaded, out_dir, extra)
