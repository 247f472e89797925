"""`planetinfer.gravity_moments`: gravity harmonics and shape of a rotating planet from its
density profile, by the theory of figures (gravity/tof.py; Nettelmann 2017, Wirth, Morf &
Helled 2026). Units at this edge: mass [M_E], radii [R_E], density [kg m^-3], period [h].
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from planetinfer import constants as C
from planetinfer import jsonout
from planetinfer.api import inputs as I
from planetinfer.api.result import Result
from planetinfer.errors import InputError, check_range

NOT_CONVERGED = ("the figure did not converge: the rotation is too fast for a hydrostatic "
                 "planet of this density profile (or the profile is unphysical)")  # fmt: skip


@dataclass(frozen=True)
class GravityMoments(Result):
    """J_2n (normalised to reference_radius), radii ratios, C/(M R_mean^2), central pressure.

    values: the scalar results (keys as in to_dict); j2n: (order,) array; pressure: (N,)
    hydrostatic pressure on the levels [Pa]; density: (N,) density on the levels [kg m^-3],
    outer to inner, as solved: the given profile rescaled to the given mass.
    """

    values: dict
    j2n: np.ndarray
    density: np.ndarray
    pressure: np.ndarray

    def to_dict(self) -> dict:
        out = dict(self.values)
        if not out["converged"]:
            out["reason"] = NOT_CONVERGED
        return jsonout.jsonable(out)

    def plot(self):
        """Density and pressure against radius on the ToF levels; returns the figure."""
        from planetinfer.plots import gravity as plots

        v = self.values
        title = (f"{v['mass_earth']:.4g} M$_\\oplus$, {v['mean_radius_re']:.4g} R$_\\oplus$, "
                 f"P = {v['period_h']:.4g} h (ToF{v['order']}, N = {v['levels']})\n"
                 f"J$_2$ = {v['J2']:.4e}, J$_4$ = {v['J4']:.3e}, "
                 f"C/MR$^2$ = {v['nmoi']:.4f}")  # fmt: skip
        fig, (ax, _) = plots.tof_profile(self.density, self.pressure)
        ax.set_title(title, fontsize=9)
        return fig


def gravity_moments(radius, density, *, mass, mean_radius, period, reference_radius=None,
                    order: int = 4, levels: int = 1024, check_levels: bool = False,
                    ) -> GravityMoments:  # fmt: skip
    """Theory of figures for one density profile.

    radius [R_E], density [kg m^-3]: the profile (any order of rows; interpolated linearly onto
    the N = levels ToF levels, gravity/profiles.py, which span mean_radius: a profile ending
    more than 1 % inside or outside it is warned about); mass [M_E]; mean_radius: volumetric mean
    radius of the outer level [R_E]; period: rotation period [h]; reference_radius: the radius
    J_2n are normalised to [R_E] (default mean_radius); order: 4, 7 or 10; check_levels: also
    solve with 4N and 16N levels and report the relative changes of J2 and J4. Quantities are
    converted (e.g. radius in km, density in g cm^-3, period in s).

    >>> import numpy as np
    >>> r = np.linspace(0.0, 4.0, 50)
    >>> moments = gravity_moments(r, 1300.0 * (1.2 - (r / 4.0) ** 2), mass=14.5,
    ...                           mean_radius=4.0, period=17.24)
    >>> bool(moments.values["J2"] > 0 and moments.values["converged"])
    True
    """
    from planetinfer.gravity import profiles
    from planetinfer.gravity import tof as T

    radius = I.as_array(radius, "radius", "R_E") * C.R_EARTH
    density = I.as_array(density, "density", "kg m^-3")
    radius, density = np.broadcast_arrays(np.atleast_1d(radius), np.atleast_1d(density))
    mass_kg = float(I.as_array(mass, "mass", "M_E")) * C.M_EARTH
    radius_m = float(I.as_array(mean_radius, "mean_radius", "R_E")) * C.R_EARTH
    period_s = float(I.as_array(period, "period", "h")) * 3600.0
    ref = None if reference_radius is None else (
        float(I.as_array(reference_radius, "reference_radius", "R_E")) * C.R_EARTH)  # fmt: skip
    for name, value in (("mass", mass_kg), ("mean_radius", radius_m), ("period", period_s)):
        check_range(name, value, 0.0, None, low_inclusive=False)
    if ref is not None:
        check_range("reference_radius", ref, 0.0, None, low_inclusive=False)
    check_range("levels", levels, 16, 65536)
    if order not in (4, 7, 10):
        raise InputError(f"order = {order} is not one of 4, 7, 10")
    order_ = np.lexsort((-density, radius))  # outward; at a radius given twice, denser first
    radius, density = radius[order_], density[order_]
    profiles.validate_profile(radius, density)
    if abs(radius[-1] / radius_m - 1.0) > 0.01:  # the levels span mean_radius, not the profile
        beyond = ("the outer levels get its last density" if radius[-1] < radius_m
                  else "the rows beyond it are left out")  # fmt: skip
        warnings.warn(f"the profile ends at {radius[-1] / C.R_EARTH:.4g} R_E but mean_radius is "
                      f"{radius_m / C.R_EARTH:.4g} R_E: {beyond}", stacklevel=2)  # fmt: skip
    rho_levels = profiles.on_levels(radius, density, radius_m, levels)
    gm = C.G * mass_kg

    def solve(rho):
        return T.solve(rho, radius_m=radius_m, gm=gm, period_s=period_s,
                       reference_radius_m=ref, order=order, surface_pressure=0.0)  # fmt: skip

    fig = solve(rho_levels)
    j = np.asarray(fig.j2n)
    values = {"mass_earth": float(mass), "mean_radius_re": radius_m / C.R_EARTH,
              "period_h": period_s / 3600.0, "order": order, "levels": levels,
              **{f"J{2 * (i + 1)}": float(j[i]) for i in range(min(order, 4))},
              "reference_radius_re": (ref or radius_m) / C.R_EARTH,
              "req_over_rmean": float(fig.req_over_rmean),
              "rpol_over_rmean": float(fig.rpol_over_rmean),
              "flattening": float(1.0 - fig.rpol_over_rmean / fig.req_over_rmean),
              "nmoi": float(fig.nmoi), "central_pressure_pa": float(fig.central_pressure),
              "profile_mass_over_mass": float(fig.mass_ratio),
              "iterations": int(fig.iterations),
              "converged": bool(fig.converged) and bool(np.all(np.isfinite(j)))}  # fmt: skip
    if check_levels:  # discretisation check at N, 4N, 16N (reference sheet Sect. 3.3)
        for factor in (4, 16):
            finer = solve(profiles.on_levels(radius, density, radius_m, factor * levels))
            change = np.asarray(finer.j2n[:2]) / j[:2] - 1.0
            values[f"J2_change_at_{factor}N"] = float(change[0])
            values[f"J4_change_at_{factor}N"] = float(change[1])
    # the density the figure was solved with: the profile rescaled to the given mass
    used = rho_levels / float(fig.mass_ratio)
    return GravityMoments(values, j, used, np.asarray(fig.pressure))
