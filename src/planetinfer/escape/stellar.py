"""Stellar bolometric and XUV history for evolution tracks (no stellar-track files needed).

Law (documented in docs/escape.md): the X-ray luminosity is saturated at
L_X = R_sat L_bol until t_sat, then declines as a power law, L_X = R_sat L_bol (t/t_sat)^-alpha
(Owen & Wu 2017, ApJ 847, 29, Sect. 2: L_sat = 10^-3.5 L_bol, t_sat = 100 Myr, decline t^-1.5,
after Jackson et al. 2012, MNRAS 422, 2024; values recalled, unconfirmed: check against Owen &
Wu 2017 Eq. 3 and Jackson et al. 2012 Table 2). The EUV luminosity follows from L_X with
Sanz-Forcada et al. 2011 (formulas.euv_luminosity_sanz_forcada), the grid's own relation.

L_bol is held constant along the track. It is either implied by the grid's teq-sma table
(Teq^4 = L_bol / (16 pi sigma a^2), zero albedo, MIST main-sequence stars; consistent with the
grid) or, without the table, a main-sequence mass-luminosity relation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planetinfer import constants as C
from planetinfer.escape import formulas as F


@dataclass(frozen=True)
class XuvHistory:
    """Saturated-then-power-law X-ray history. Times in s, ratios dimensionless."""

    lx_lbol_sat: float = 10.0**-3.5  # Owen & Wu 2017 (recalled)
    t_sat: float = 0.1 * C.GYR  # [s], Owen & Wu 2017 / Jackson et al. 2012 (recalled)
    alpha: float = 1.5  # power-law index of the decline (Owen & Wu 2017, recalled)

    def __post_init__(self):
        if not (self.lx_lbol_sat > 0 and self.t_sat > 0 and self.alpha > 0):
            raise ValueError(f"XuvHistory parameters must be positive, got {self}")


@dataclass(frozen=True)
class Star:
    """Host star: mass [kg], bolometric luminosity [W] (constant), XUV history."""

    mass: float
    l_bol: float
    xuv: XuvHistory = XuvHistory()

    def xray_luminosity(self, age):
        """L_X(age) [W]; age [s], any shape."""
        age = np.asarray(age, dtype=float)
        decline = np.where(age <= self.xuv.t_sat, 1.0, (age / self.xuv.t_sat) ** -self.xuv.alpha)
        return self.xuv.lx_lbol_sat * self.l_bol * decline

    def euv_luminosity(self, age):
        """L_EUV(age) [W] from L_X with Sanz-Forcada et al. 2011 Eq. 3."""
        return np.asarray(F.euv_luminosity_sanz_forcada(self.xray_luminosity(age)))

    def euv_flux(self, age, a):
        """F_EUV at orbital distance a [m] (W m^-2)."""
        return self.euv_luminosity(age) / (4.0 * np.pi * np.asarray(a) ** 2)

    def teq(self, a, albedo: float = 0.0):
        """Equilibrium temperature [K], Teq = (L (1 - A) / (16 pi sigma a^2))^(1/4)."""
        return (
            self.l_bol * (1.0 - albedo) / (16.0 * np.pi * C.SIGMA_SB * np.asarray(a) ** 2)
        ) ** 0.25

    def bolometric_flux(self, a):
        """Bolometric flux at a [W m^-2]."""
        return self.l_bol / (4.0 * np.pi * np.asarray(a) ** 2)


def main_sequence_luminosity(mstar_msun: float) -> float:
    """L_bol [W] from the textbook mass-luminosity relation L/L_sun = (M/M_sun)^4 for
    0.43 < M < 2 and 0.23 (M/M_sun)^2.3 below (e.g. Duric 2004, Advanced Astrophysics)."""
    m = float(mstar_msun)
    ratio = m**4 if m > 0.43 else 0.23 * m**2.3
    return ratio * C.L_SUN


def star_from_teq_sma(mstar_msun: float, relation, xuv: XuvHistory = XuvHistory()) -> Star:
    """Star whose L_bol is implied by the grid's teq-sma table (grid.TeqSmaRelation)."""
    return Star(mstar_msun * C.M_SUN, float(relation.bolometric_luminosity(mstar_msun)), xuv)


def star_main_sequence(mstar_msun: float, xuv: XuvHistory = XuvHistory()) -> Star:
    """Star with the analytic main-sequence luminosity (fallback without the grid files)."""
    return Star(mstar_msun * C.M_SUN, main_sequence_luminosity(mstar_msun), xuv)
