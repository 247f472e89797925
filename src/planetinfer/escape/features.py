"""Query tables and input features shared by every interpolator, and the grid-domain check.

A query table has the grid's column names and units: mstar_msun [M_sun], teq_k [K], a_au [AU],
feuv_cgs [erg s^-1 cm^-2], r_re [R_E], m_me [M_E]. `planet_table` adds Lambda, K and Lambda*K
computed with the grid's constants (formulas.KF21), exactly as for the grid rows.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from planetinfer.errors import InputError, check_range
from planetinfer.escape import formulas as F
from planetinfer.escape.grid import KF21_UNITS

QUERY_COLUMNS = ("mstar_msun", "teq_k", "a_au", "feuv_cgs", "r_re", "m_me")


def planet_columns(mstar_msun, teq_k, a_au, feuv_cgs, r_re, m_me) -> dict:
    """Query columns {name: (n,) array} (inputs broadcast) with lam, xi_roche, k_tidal and
    lambda_k added; what every interpolator's predict and GridDomain.contains read.

    Raises InputError for non-positive or non-finite inputs, naming the field.
    """
    values = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(v, dtype=float))
            for v in (mstar_msun, teq_k, a_au, feuv_cgs, r_re, m_me)
        )
    )
    for name, value in zip(QUERY_COLUMNS, values, strict=True):
        check_range(name, value, 0.0, None, low_inclusive=False)
    columns = {name: v.ravel() for name, v in zip(QUERY_COLUMNS, values, strict=True)}
    return add_planet_columns(columns)


def planet_table(mstar_msun, teq_k, a_au, feuv_cgs, r_re, m_me):
    """planet_columns as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(planet_columns(mstar_msun, teq_k, a_au, feuv_cgs, r_re, m_me))


def add_planet_columns(table):
    """Add lam (if absent), xi_roche, k_tidal, lambda_k to a table (DataFrame or dict of
    arrays) with QUERY_COLUMNS; returns a copy of the same kind."""
    u = KF21_UNITS
    out = table.copy()
    column = lambda name: np.asarray(out[name], dtype=float)  # noqa: E731
    m_pl = column("m_me") * u.m_earth
    r_pl = column("r_re") * u.r_earth
    if "lam" not in out:
        out["lam"] = np.asarray(F.jeans_parameter(m_pl, r_pl, column("teq_k"), F.KF21))
    xi = (
        np.asarray(F.roche_radius(column("a_au") * u.au, m_pl, column("mstar_msun") * u.m_sun))
        / r_pl
    )
    out["xi_roche"] = xi
    out["k_tidal"] = np.asarray(F.k_tidal_from_xi(xi))
    out["lambda_k"] = out["lam"] * out["k_tidal"]
    return out


@dataclass(frozen=True)
class GridDomain:
    """Where the grid has data (the `in_domain` test of every learned method).

    nodes: (n, 2) (M* [M_sun], Teq [K]) grid nodes; log_f_lo, log_f_hi: (n,) log10 F_EUV bounds
    per node; log_a: (n,) log10 a [AU] per node (a is a function of (M*, Teq) on the grid, so an
    orbit far from it is off the grid); bounds: column -> (lo, hi) for r_re, m_me, lam, lambda_k.
    """

    nodes: np.ndarray
    log_f_lo: np.ndarray
    log_f_hi: np.ndarray
    log_a: np.ndarray
    bounds: dict

    @classmethod
    def from_grid(cls, grid) -> GridDomain:
        per_node = grid.groupby(["mstar_msun", "teq_k"])
        lo, hi = per_node["feuv_cgs"].min(), per_node["feuv_cgs"].max()
        nodes = np.array(list(lo.index), dtype=float)
        bounds = {
            c: (float(grid[c].min()), float(grid[c].max()))
            for c in ("r_re", "m_me", "lam", "lambda_k")
        }
        log_a = np.log10(per_node["a_au"].first().to_numpy())
        return cls(nodes, np.log10(lo.to_numpy()), np.log10(hi.to_numpy()), log_a, bounds)

    def to_json(self) -> dict:
        names = ("nodes", "log_f_lo", "log_f_hi", "log_a")
        return {**{n: getattr(self, n).tolist() for n in names}, "bounds": self.bounds}

    @classmethod
    def from_json(cls, data: dict) -> GridDomain:
        arrays = (np.array(data[n]) for n in ("nodes", "log_f_lo", "log_f_hi", "log_a"))
        return cls(*arrays, {k: tuple(v) for k, v in data["bounds"].items()})

    def _node_values(self, mstar, teq):
        """At each query (M*, Teq): log F bounds (loosest of the bracketing M* nodes, each
        interpolated linearly in log Teq) and the grid's log a (linear in M* between the
        bracketing nodes). NaN bounds where a bracketing node's Teq range misses the query."""
        ms_nodes = np.unique(self.nodes[:, 0])
        idx_lo = np.searchsorted(ms_nodes, mstar + 1e-9, side="right") - 1
        idx_hi = np.searchsorted(ms_nodes, mstar - 1e-9)
        valid = (idx_lo >= 0) & (idx_hi < ms_nodes.size)
        lo, hi = np.full(mstar.shape, np.inf), np.full(mstar.shape, -np.inf)
        la_lo, la_hi = np.zeros(mstar.shape), np.zeros(mstar.shape)
        log_t = np.log10(teq)
        for j, ms in enumerate(ms_nodes):
            sel = np.isclose(self.nodes[:, 0], ms)
            order = np.argsort(self.nodes[sel, 1])
            t_nodes = np.log10(self.nodes[sel, 1][order])
            rows = np.flatnonzero(valid & ((idx_lo == j) | (idx_hi == j)))  # bracketed by node j
            lt = log_t[rows]
            inside = (lt >= t_nodes[0] - 1e-9) & (lt <= t_nodes[-1] + 1e-9)
            lo[rows] = np.minimum(lo[rows], np.interp(lt, t_nodes, self.log_f_lo[sel][order]))
            hi[rows] = np.maximum(hi[rows], np.interp(lt, t_nodes, self.log_f_hi[sel][order]))
            la = np.interp(lt, t_nodes, self.log_a[sel][order])
            is_lo, is_hi = idx_lo[rows] == j, idx_hi[rows] == j
            la_lo[rows[is_lo]] = la[is_lo]
            la_hi[rows[is_hi]] = la[is_hi]
            valid[rows] &= inside
        lo[~valid], hi[~valid] = np.nan, np.nan
        m_lo = ms_nodes[np.clip(idx_lo, 0, ms_nodes.size - 1)]
        m_hi = ms_nodes[np.clip(idx_hi, 0, ms_nodes.size - 1)]
        span = np.where(m_hi > m_lo, m_hi - m_lo, 1.0)
        w = np.where(m_hi > m_lo, (mstar - m_lo) / span, 0.0)
        return lo, hi, (1.0 - w) * la_lo + w * la_hi

    def contains(self, table, tol_dex: float = 0.05, tol_a_dex: float = 0.1) -> np.ndarray:
        """Boolean (n,): the planet lies inside the grid's coverage (no extrapolation).

        M* and Teq bracketed by nodes; F_EUV within the bracketing nodes' levels (+- tol_dex);
        a within tol_a_dex of the grid's a(M*, Teq); R, M, Lambda, Lambda*K in the grid ranges.
        """
        mstar = np.asarray(table["mstar_msun"], dtype=float)
        teq = np.asarray(table["teq_k"], dtype=float)
        lo, hi, log_a_grid = self._node_values(mstar, teq)
        log_f = np.log10(np.asarray(table["feuv_cgs"], dtype=float))
        log_a = np.log10(np.asarray(table["a_au"], dtype=float))
        inside = np.isfinite(lo) & (log_f >= lo - tol_dex) & (log_f <= hi + tol_dex)
        inside &= np.abs(log_a - log_a_grid) <= tol_a_dex
        for column, (b_lo, b_hi) in self.bounds.items():
            v = np.asarray(table[column], dtype=float)
            inside &= np.isfinite(v) & (v >= b_lo * (1 - 1e-9)) & (v <= b_hi * (1 + 1e-9))
        return inside


def warn_out_of_domain(in_domain: np.ndarray, method: str) -> None:
    """Warn (never silently extrapolate) when some planets lie outside the grid coverage."""
    n_out = int(np.size(in_domain) - np.count_nonzero(in_domain))
    if n_out:
        warnings.warn(
            f"{method}: {n_out} of {np.size(in_domain)} planets lie outside the grid "
            "coverage; their rates are extrapolations (in_domain = False)",
            stacklevel=3,
        )


def require_columns(table, columns=QUERY_COLUMNS) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"query table is missing columns {missing}")
