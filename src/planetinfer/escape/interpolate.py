"""Interpolators of the hydrodynamic grid behind one interface: `fit(grid)`, `predict(table)`.

`predict` takes a query table (features.planet_table or grid rows) and returns log10 Mdot
[g s^-1], shape (n,). Methods:

* `NetworkInterpolator(MLINK_CONFIG)`: MLink-size dense net (Reza et al. 2025 Sect. 4.2);
* `NetworkInterpolator(BEST_CONFIG)`: our best network (networks.py);
* `RBFInterpolatorMethod`: scipy RBFInterpolator on standardised
  [M*, log10 Teq, log10 F_EUV, R_pl, log10 Lambda*K] (a dropped: it is a function of M*, Teq,
  reference sheet §3.3), with the kernel / epsilon / degree search of Reza et al. 2025 App. C
  in `rbf_search`;
* `NestedLinearInterpolator`: classical baseline in the spirit of interpol2021 (Kubyshkina &
  Fossati 2021): nested 1-D interpolations, ln Mdot vs ln Lambda per (M*, Teq, F_EUV, R) node,
  then ln R, ln F_EUV, Teq and M*, each linear with linear extrapolation from the edge pair.
"""

from __future__ import annotations

import functools
import itertools
import time

import numpy as np

from planetinfer.escape import networks as N
from planetinfer.escape.features import GridDomain
from planetinfer.escape.fused import FusedEnsemble


class NetworkInterpolator:
    """Ensemble MLP regression of log10 Mdot (see networks.py); `fit` returns self."""

    def __init__(self, config: N.NetworkConfig = N.BEST_CONFIG, name: str | None = None):
        self.config = config
        self.name = name or ("mlink_network" if config.features == "mlink" else "best_network")
        self.weights = None
        self.norm = None
        self.domain = None
        self.offset = None  # (coef (d,), intercept): target offset, linear in the inputs

    def fit(self, grid, progress=None) -> NetworkInterpolator:
        x = N.raw_features(grid, self.config.features)
        y = grid["log_mdot"].to_numpy() - N.target_offset(grid, self.config.target)
        self.offset = (
            N.linear_offset(grid, self.config.features, self.config.target)
            if self.config.target != "raw"
            else None
        )
        self.norm = N.Normalisation.fit(x, y, self.config.features)
        ensemble = N.train_ensemble(
            self._scale_x(x), (y - self.norm.y_shift) / self.norm.y_scale, self.config, progress
        )
        self.ensemble = ensemble
        self.set_weights(N.extract_weights(ensemble))
        self.domain = GridDomain.from_grid(grid)
        return self

    def set_weights(self, weights) -> None:
        """Store per-member weights and build the fused inference network (fused.py)."""
        self.weights = weights
        n = self.norm
        self.fused = FusedEnsemble.from_weights(
            weights,
            n.x_shift,
            n.x_scale,
            n.y_shift,
            n.y_scale,
            N.log_mask(self.config.features),
            self.config.activation,
            self.offset,
        )

    def _scale_x(self, x):
        return (x - np.asarray(self.norm.x_shift)) / np.asarray(self.norm.x_scale)

    def predict(self, table) -> np.ndarray:
        """log10 Mdot [g/s] (n,) for a query table or dict of columns (grid units)."""
        return self.fused(N.raw_columns(table, self.config.features)).astype(float)

    def predict_reference(self, table) -> np.ndarray:
        """Same as predict, member by member on the unfolded weights (float64 inputs); slow."""
        x = self._scale_x(N.raw_features(table, self.config.features))
        y = N.forward_numpy(self.weights, x, self.config.activation).astype(float)
        offset = N.target_offset(table, self.config.target)
        return y * self.norm.y_scale + self.norm.y_shift + offset


RBF_COLUMNS = ("mstar_msun", "log_teq", "log_feuv", "r_re", "log_lambda_k")


def rbf_features(table) -> np.ndarray:
    return np.column_stack(
        [
            table["mstar_msun"],
            np.log10(table["teq_k"]),
            np.log10(table["feuv_cgs"]),
            table["r_re"],
            np.log10(table["lambda_k"]),
        ]
    ).astype(float)


# Up to this many rows (an evolution track asks for one per step) an RBF evaluation is a few
# small matrix products, fastest on one BLAS thread: more threads only add start-up cost, and on
# a busy machine they contend (a 9 M_E track took 5 s with the default threads beside two other
# jobs on 2 cores, 0.3 s with one; benchmarks/escape_tracks.py).
SINGLE_THREAD_ROWS = 256


@functools.lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class RBFInterpolatorMethod:
    """Global (or local, `neighbors`) scipy RBFInterpolator on standardised features."""

    def __init__(
        self, kernel="thin_plate_spline", epsilon=1.0, degree=1, neighbors=None, smoothing=0.0
    ):
        self.name = "rbf"
        self.kernel, self.epsilon, self.degree = kernel, epsilon, degree
        self.neighbors, self.smoothing = neighbors, smoothing
        self.model = None

    def fit(self, grid, progress=None) -> RBFInterpolatorMethod:
        x = rbf_features(grid)
        # constant columns (one M* or Teq only) would make the polynomial part singular: drop them
        self.keep = x.std(0) > 1e-9 * (np.abs(x.mean(0)) + 1.0)
        x = x[:, self.keep]
        self.shift, self.scale = x.mean(0), x.std(0)
        from scipy.interpolate import RBFInterpolator

        self.model = RBFInterpolator(
            (x - self.shift) / self.scale,
            grid["log_mdot"].to_numpy(),
            kernel=self.kernel,
            epsilon=self.epsilon,
            degree=self.degree,
            neighbors=self.neighbors,
            smoothing=self.smoothing,
        )
        self.domain = GridDomain.from_grid(grid)
        return self

    def predict(self, table) -> np.ndarray:
        x = (rbf_features(table)[:, self.keep] - self.shift) / self.scale
        if x.shape[0] <= SINGLE_THREAD_ROWS:
            with _blas_controller().limit(limits=1, user_api="blas"):
                return self.model(x)
        out = np.empty(x.shape[0])
        for start in range(0, x.shape[0], 2000):  # bounded memory: (chunk x n_grid) kernel
            out[start : start + 2000] = self.model(x[start : start + 2000])
        return out


# Reza et al. 2025 App. C: kernels, epsilon grids (quintic and linear given in the text; the
# same grid is used for the other shape-parameter kernels) and polynomial degrees 1-4.
RBF_KERNELS = (
    "linear",
    "gaussian",
    "cubic",
    "thin_plate_spline",
    "quintic",
    "multiquadric",
    "inverse_multiquadric",
    "inverse_quadratic",
)
RBF_EPSILONS = (0.01, 0.02, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
RBF_DEGREES = (1, 2, 3, 4)
SCALE_FREE = {"linear", "cubic", "thin_plate_spline", "quintic"}  # epsilon only rescales


def rbf_search(
    train,
    valid,
    kernels=RBF_KERNELS,
    epsilons=RBF_EPSILONS,
    degrees=RBF_DEGREES,
    neighbors=None,
    budget_s=None,
):
    """Grid search over kernel, epsilon and degree (Reza et al. 2025 App. C) on a validation set.

    Scores each setting by the fraction of validation rows within a factor 2 (ties: median
    |dlog Mdot|). Returns (best settings dict, list of all scored settings). Settings that fail
    (singular systems) are recorded with score NaN. budget_s stops the search early.
    """
    start, results = time.perf_counter(), []
    y = valid["log_mdot"].to_numpy()
    for kernel, degree in itertools.product(kernels, degrees):
        for eps in (1.0,) if kernel in SCALE_FREE else epsilons:
            if budget_s is not None and time.perf_counter() - start > budget_s:
                break
            try:
                method = RBFInterpolatorMethod(kernel, eps, degree, neighbors).fit(train)
                err = np.abs(method.predict(valid) - y)
                score = (float(np.mean(err <= np.log10(2))), float(np.median(err)))
            except (np.linalg.LinAlgError, ValueError):
                score = (float("nan"), float("nan"))
            results.append(
                {
                    "kernel": kernel,
                    "epsilon": eps,
                    "degree": degree,
                    "within2": score[0],
                    "median_dex": score[1],
                }
            )
    scored = [r for r in results if np.isfinite(r["within2"])]
    best = max(scored, key=lambda r: (r["within2"], -r["median_dex"]))
    return best, results


def _lin(x, xs, ys):
    """Linear interpolation in sorted xs with linear extrapolation from the edge pairs."""
    if xs.size == 1:
        return float(ys[0])
    if x <= xs[0]:
        i = 0
    elif x >= xs[-1]:
        i = xs.size - 2
    else:
        i = int(np.searchsorted(xs, x)) - 1
    t = (x - xs[i]) / (xs[i + 1] - xs[i])
    return float(ys[i] + t * (ys[i + 1] - ys[i]))


def _bracket(nodes: np.ndarray, x: float) -> np.ndarray:
    """The 1-2 nodes bracketing x (nearest pair at the edges), sorted."""
    nodes = np.unique(nodes)
    if nodes.size <= 2:
        return nodes
    i = int(np.clip(np.searchsorted(nodes, x), 1, nodes.size - 1))
    if np.isclose(nodes[i], x) or np.isclose(nodes[i - 1], x):
        return nodes[[i]] if np.isclose(nodes[i], x) else nodes[[i - 1]]
    return nodes[[i - 1, i]]


class NestedLinearInterpolator:
    """interpol2021-style sequence of 1-D interpolations (classical baseline, ~ms per planet)."""

    def __init__(self):
        self.name = "nested_1d"

    def fit(self, grid, progress=None) -> NestedLinearInterpolator:
        self.curves = {}
        for key, rows in grid.groupby(["mstar_msun", "teq_k", "feuv_cgs", "r_re"]):
            rows = rows.sort_values("lam")
            self.curves[key] = (np.log(rows["lam"].to_numpy()), np.log(rows["mdot_g_s"].to_numpy()))
        keys = np.array(list(self.curves))
        self.tree = {}
        for ms, teq, f, r in keys:
            self.tree.setdefault(ms, {}).setdefault(teq, {}).setdefault(f, []).append(r)
        self.domain = GridDomain.from_grid(grid)
        return self

    def _one(self, ms, teq, f, r, lam) -> float:
        ln_lam, ms_vals = np.log(lam), []
        m_nodes = _bracket(np.array(list(self.tree)), ms)
        for m_node in m_nodes:
            t_nodes = _bracket(np.array(list(self.tree[m_node])), teq)
            t_vals = []
            for t_node in t_nodes:
                f_levels = np.array(sorted(self.tree[m_node][t_node]))
                f_vals = []
                for f_node in f_levels:
                    r_nodes = np.array(sorted(self.tree[m_node][t_node][f_node]))
                    r_sel = _bracket(r_nodes, r)
                    r_vals = [
                        _lin(ln_lam, *self.curves[(m_node, t_node, f_node, rn)]) for rn in r_sel
                    ]
                    f_vals.append(_lin(np.log(r), np.log(r_sel), np.array(r_vals)))
                t_vals.append(_lin(np.log(f), np.log(f_levels), np.array(f_vals)))
            ms_vals.append(_lin(teq, t_nodes, np.array(t_vals)))
        return _lin(ms, m_nodes, np.array(ms_vals))

    def predict(self, table) -> np.ndarray:
        cols = [
            np.asarray(table[c], dtype=float)
            for c in ("mstar_msun", "teq_k", "feuv_cgs", "r_re", "lam")
        ]
        ln_mdot = np.array([self._one(*row) for row in zip(*cols, strict=True)])
        return ln_mdot / np.log(10.0)


def make_method(name: str, **kwargs):
    """Factory by name: best_network, mlink_network, rbf, nested_1d."""
    if name == "best_network":
        return NetworkInterpolator(kwargs.get("config", N.BEST_CONFIG))
    if name == "mlink_network":
        return NetworkInterpolator(kwargs.get("config", N.MLINK_CONFIG))
    if name == "rbf":
        return RBFInterpolatorMethod(**kwargs)
    if name == "nested_1d":
        return NestedLinearInterpolator()
    raise ValueError(f"method = {name!r} is not one of best_network, mlink_network, rbf, nested_1d")


METHODS = ("best_network", "mlink_network", "rbf", "nested_1d")
