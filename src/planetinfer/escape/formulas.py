"""Analytic atmospheric-escape formulas, vectorised (NumPy or jax.numpy), SI units inside.

Every function takes arrays that broadcast against each other and returns an array of the
broadcast shape. Sources (paper + equation) are given per function. Where the MLink paper
(Reza et al. 2025, A&A 694, A88) shows its equations only as images, the form used here is a
reconstruction from the cited original papers and is tagged
**RECONSTRUCTION (unconfirmed: check against Reza et al. 2025 Eq. X)** in the docstring.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from planetinfer import constants as C

GAMMA_ADIABATIC = 5.0 / 3.0  # ideal monatomic/diatomic-averaged gas, Reza et al. 2025 App. A.2
SIGMA_20EV = 6.0e-22 * (20.0 / 13.6) ** -3  # H photo-ionisation cross-section at 20 eV [m^2]
# (Murray-Clay et al. 2009, ApJ 693, 23: sigma(nu) = 6e-18 (h nu/13.6 eV)^-3 cm^2)
ETA_DEFAULT = 0.15  # heating efficiency; common default, unconfirmed for MLink (reference §1.6)
KAPPA_VIS_DEFAULT = 4.0e-4  # visible opacity [m^2 kg^-1] = 4e-3 cm^2/g (Guillot 2010, A&A 520,
# A27, HD 209458b value); used only by the photospheric-pressure placeholder below.


def _xp(*values):
    """jax.numpy when any input is a JAX array (or tracer under jit/vmap), else numpy (fast for
    the small arrays of evolution loops). Every formula below works with either. JAX is never
    imported here: an input can only be a JAX array once the caller has imported JAX."""
    jax = sys.modules.get("jax")
    if jax is not None and any(isinstance(v, jax.Array) for v in values):
        return jax.numpy
    return np


@dataclass(frozen=True)
class PhysicalConstants:
    """Constants entering the formulas [SI]. Two sets exist and must never be mixed."""

    gravitational: float  # G [m^3 kg^-1 s^-2]
    boltzmann: float  # k_B [J K^-1]
    hydrogen_mass: float  # m_H [kg]
    stefan_boltzmann: float  # sigma_SB [W m^-2 K^-4]


# CODATA 2018 values (planetinfer.constants); m_H = proton mass as in the hydro grid.
CODATA = PhysicalConstants(C.G, C.K_BOLTZMANN, C.M_PROTON, C.SIGMA_SB)
# The Kubyshkina & Fossati 2021 grid's own cgs constants, converted to SI (reference §1.1):
# G = 6.6726e-8, k_B = 1.3807e-16, m_H = 1.6726e-24, sigma_SB = 5.6704e-5 (Reza et al. 2025 A.10).
KF21 = PhysicalConstants(6.6726e-11, 1.3807e-23, 1.6726e-27, 5.6704e-8)


def jeans_parameter(m_pl, r_pl, teq, const: PhysicalConstants = CODATA):
    """Restricted Jeans escape parameter Lambda = G M_pl m_H / (k_B T_eq R_pl).

    Fossati et al. 2017 (A&A 598, A90); Reza et al. 2025 Eq. 4. m_pl [kg], r_pl [m], teq [K].
    """
    g, kb, mh = const.gravitational, const.boltzmann, const.hydrogen_mass
    return g * m_pl * mh / (kb * teq * r_pl)


def roche_radius(a, m_pl, m_star):
    """Roche (Hill) radius along the star-planet line, R_roche = a (M_pl / (3 M*))^(1/3) [m].

    Erkaev et al. 2007 (A&A 472, 329); form of the released MLink code.
    RECONSTRUCTION (unconfirmed: check against Reza et al. 2025 Eq. 2). a [m], masses [kg].
    """
    return a * (m_pl / (3.0 * m_star)) ** (1.0 / 3.0)


def k_tidal_from_xi(xi):
    """Erkaev et al. 2007 (Eq. 17) tidal factor K = 1 - 3/(2 xi) + 1/(2 xi^3), xi = R_roche/R_pl.

    Written as (xi - 1)^2 (2 xi + 1) / (2 xi^3), which is exact for xi near 1. Valid for xi > 1
    (0 < K < 1); K -> 1 as xi -> infinity. Returns NaN for xi <= 1 (planet fills its lobe).
    """
    xp = _xp(xi)
    xi = xp.asarray(xi, dtype=float)
    k = (xi - 1.0) ** 2 * (2.0 * xi + 1.0) / (2.0 * xi**3)
    return xp.where(xi > 1.0, k, xp.nan)


def k_tidal(a, m_pl, m_star, r_pl):
    """Erkaev K for a planet (Reza et al. 2025 Eq. 5): K(R_roche / R_pl). SI inputs."""
    return k_tidal_from_xi(roche_radius(a, m_pl, m_star) / r_pl)


def lambda_times_k(m_pl, r_pl, teq, a, m_star, const: PhysicalConstants = CODATA):
    """Lambda * K, the MLink input that aligns the XUV -> Roche-overflow transitions (Sect. 2.2)."""
    return jeans_parameter(m_pl, r_pl, teq, const) * k_tidal(a, m_pl, m_star, r_pl)


def photospheric_pressure_placeholder(
    m_pl, r_pl, teq, kappa_vis=KAPPA_VIS_DEFAULT, mu=2.0, const: PhysicalConstants = CODATA
):
    """Photospheric pressure of a transit chord with constant visible opacity [Pa].

    p_phot = 0.56 (g / kappa_vis) sqrt(H / (2 pi R_pl)), g = G M/R^2, H = k_B T/(mu m_H g)
    (transit-chord optical depth ~0.56, Lecavelier des Etangs et al. 2008; Guillot 2010).
    PLACEHOLDER, NOT the paper's fit: Reza et al. 2025 Eq. 1 (from Cubillos et al. 2017) is
    not available in text (unconfirmed: check against Reza et al. 2025 Eq. 1).
    """
    xp = _xp(m_pl, r_pl, teq)
    grav = const.gravitational * m_pl / r_pl**2
    scale_height = const.boltzmann * teq / (mu * const.hydrogen_mass * grav)
    return 0.56 * grav / kappa_vis * xp.sqrt(scale_height / (2.0 * xp.pi * r_pl))


def euv_absorption_pressure(m_pl, r_pl, const: PhysicalConstants = CODATA):
    """Pressure at the EUV absorption level, P_EUV = m_H G M_pl / (sigma_20eV R_pl^2) [Pa].

    Murray-Clay et al. 2009 / Chen & Rogers 2016 (ApJ 831, 180). RECONSTRUCTION
    (unconfirmed: check against Reza et al. 2025 Eq. A.4).
    """
    return const.hydrogen_mass * const.gravitational * m_pl / (SIGMA_20EV * r_pl**2)


def effective_xuv_radius(m_pl, r_pl, teq, p_photo, mu=2.0, const: PhysicalConstants = CODATA):
    """Effective XUV absorption radius R_eff = R_pl (1 + H~ ln(P_photo / P_EUV)) [m].

    Chen & Rogers 2016 (ApJ 831, 180); H~ = k_B T_eq R_pl / (mu m_H G M_pl) is the scale height
    over R_pl (mu = 2: molecular hydrogen, H~ = 1/(2 Lambda)). Clipped to R_eff >= R_pl.
    RECONSTRUCTION (unconfirmed: check against Reza et al. 2025 Eqs. A.2-A.4).
    """
    xp = _xp(m_pl, r_pl, teq, p_photo)
    h_tilde = const.boltzmann * teq * r_pl / (mu * const.hydrogen_mass * const.gravitational * m_pl)
    ratio = p_photo / euv_absorption_pressure(m_pl, r_pl, const)
    return r_pl * (1.0 + h_tilde * xp.log(xp.maximum(ratio, 1.0)))


def energy_limited_rate(
    f_xuv, m_pl, r_pl, r_eff, k, eta=ETA_DEFAULT, const: PhysicalConstants = CODATA
):
    """Energy-limited escape Mdot = eta pi R_pl R_eff^2 F_XUV / (G M_pl K) [kg s^-1].

    Erkaev et al. 2007 Eq. 1 with R_XUV = R_eff (Graz-group form, e.g. Krenn et al. 2021).
    f_xuv [W m^-2]. RECONSTRUCTION (unconfirmed: check against Reza et al. 2025 Eq. A.1).
    """
    xp = _xp(f_xuv, m_pl, r_pl, r_eff, k)
    return eta * xp.pi * r_pl * r_eff**2 * f_xuv / (const.gravitational * m_pl * k)


def core_radius_rogers_seager(m_core, r_earth=C.R_EARTH, m_earth=C.M_EARTH):
    """Core radius R_core = R_E (M_core / M_E)^(1/4) [m] (Rogers & Seager 2010; Reza A.5)."""
    return r_earth * (m_core / m_earth) ** 0.25


def freedman_opacity(rho):
    """Opacity at the RCB, kappa = 0.1 cm^2/g * (rho / 1e-3 g cm^-3)^0.6, Z* = 1 [m^2 kg^-1].

    Freedman et al. 2008 via Lee & Chiang 2015; Reza et al. 2025 Eq. A.9. rho [kg m^-3];
    1e-3 g cm^-3 = 1 kg m^-3 and 0.1 cm^2/g = 0.01 m^2/kg.
    """
    return 0.01 * rho**0.6


def core_powered_rates(
    m_pl, r_pl, teq, p_rcb, const: PhysicalConstants = CODATA, r_earth=C.R_EARTH, m_earth=C.M_EARTH
):
    """Core-powered mass loss after Gupta & Schlichting 2019 (MNRAS 487, 24) [kg s^-1].

    Returns (mdot_cooling_limited, mdot_bondi_limited, mdot_cp = min of the two).
    Assumptions of Reza et al. 2025 App. A.2: M_core = M_pl, R_RCB = R_pl, T_RCB = T_eq,
    P_RCB = P_photo, gamma = 5/3, mu = 2 at the RCB, mu = 1 at the sonic point, g at R_core.
      rho_RCB = 2 m_H P_RCB / (k_B T)                         (A.6)
      c_s = sqrt(k_B T / m_H),  R_s = G M / (2 c_s^2)          (A.7)
      R_B' = ((gamma-1)/gamma) G M_core 2 m_H / (k_B T)        (A.8; Ginzburg et al. 2018)
      L_cool = (64 pi/3) sigma T^4 R_B' / (kappa rho_RCB)      (A.10; GS19 Eq. 6)
      Mdot_CL = L_cool R_core / (G M_core)                     (A.11)
      Mdot_BL = 4 pi R_s^2 c_s rho_RCB exp(-G M / (c_s^2 R_RCB))  (A.12; GS19 Eq. 10)
    RECONSTRUCTION of the mu choices (unconfirmed: check against Reza et al. 2025 Eqs. A.5-A.12).
    """
    xp = _xp(m_pl, r_pl, teq, p_rcb)
    g, kb, mh, sb = (
        const.gravitational,
        const.boltzmann,
        const.hydrogen_mass,
        const.stefan_boltzmann,
    )
    rho_rcb = 2.0 * mh * p_rcb / (kb * teq)
    c_s = xp.sqrt(kb * teq / mh)
    r_sonic = g * m_pl / (2.0 * c_s**2)
    r_bondi_mod = (GAMMA_ADIABATIC - 1.0) / GAMMA_ADIABATIC * g * m_pl * 2.0 * mh / (kb * teq)
    l_cool = 64.0 * xp.pi / 3.0 * sb * teq**4 * r_bondi_mod / (freedman_opacity(rho_rcb) * rho_rcb)
    r_core = core_radius_rogers_seager(m_pl, r_earth, m_earth)
    mdot_cl = l_cool * r_core / (g * m_pl)
    mdot_bl = 4.0 * xp.pi * r_sonic**2 * c_s * rho_rcb * xp.exp(-g * m_pl / (c_s**2 * r_pl))
    return mdot_cl, mdot_bl, xp.minimum(mdot_cl, mdot_bl)


def roche_potential_radial(r, a, m_pl, m_star, const: PhysicalConstants = CODATA):
    """Roche potential along the star-planet line, planet at the origin [J kg^-1].

    U_r = -G M_pl/r - G M*/(a - r) - Omega^2 (d_cm - r)^2 / 2, Omega^2 = G (M* + M_pl)/a^3,
    d_cm = a M*/(M* + M_pl). Standard restricted three-body physics.
    RECONSTRUCTION (unconfirmed: check against Reza et al. 2025 Eq. A.15).
    """
    g = const.gravitational
    omega2 = g * (m_star + m_pl) / a**3
    d_cm = a * m_star / (m_star + m_pl)
    return -g * m_pl / r - g * m_star / (a - r) - 0.5 * omega2 * (d_cm - r) ** 2


def roche_overflow_rate(m_pl, r_pl, teq, a, m_star, p_photo, const: PhysicalConstants = CODATA):
    """Roche-lobe-overflow estimate Mdot_RL ~ 4 pi R_pl^2 rho_photo c_s0 exp(-dU / c_s0^2) [kg/s].

    Modified from Koskinen et al. 2022 (ApJ 929, 52) as described in Reza et al. 2025 App. A.3:
    sonic outflow through the photosphere, c_s0 = sqrt(k_B T / (2 m_H)),
    rho_photo = 2 m_H P_photo / (k_B T), damped by the potential barrier
    dU = U_r(R_roche) - U_r(R_pl) >= 0.
    RECONSTRUCTION / PLACEHOLDER (unconfirmed: check against Reza et al. 2025 Eqs. A.13-A.16 and
    Koskinen et al. 2022): the exact form of G_roc is unknown, a Boltzmann factor stands in for
    it, and the polar non-sphericity term (z_p) is omitted. It is an upper-limit estimate.
    """
    xp = _xp(m_pl, r_pl, teq, a, m_star, p_photo)
    kb, mh = const.boltzmann, const.hydrogen_mass
    c_s0 = xp.sqrt(kb * teq / (2.0 * mh))
    rho_photo = 2.0 * mh * p_photo / (kb * teq)
    r_roche = roche_radius(a, m_pl, m_star)
    d_u = roche_potential_radial(r_roche, a, m_pl, m_star, const) - roche_potential_radial(
        r_pl, a, m_pl, m_star, const
    )
    barrier = xp.exp(-xp.maximum(d_u, 0.0) / c_s0**2)
    return 4.0 * xp.pi * r_pl**2 * rho_photo * c_s0 * barrier


# Kubyshkina et al. 2018 (ApJL 866, L18) hydro-based approximation, Eq. 4 and Table 1
# (coefficients as used by photoevolver and interpol2021's border function; reference §1.9).
K18_LARGE = (16.4084, 1.0, -3.2861, 2.75, -1.2978, 0.8846)  # beta, a1, a2, a3, zeta, theta
K18_SMALL = (32.0199, 0.4222, -1.7489, 3.7679, -6.8618, 0.0095)


def _k18_branch(coeffs, ln_f, ln_a, ln_r, ln_lam):
    beta, a1, a2, a3, zeta, theta = coeffs
    return beta + a1 * ln_f + a2 * ln_a + a3 * ln_r + (zeta + theta * ln_a) * ln_lam


def kubyshkina2018_rate(f_xuv, a, r_pl, lam):
    """Kubyshkina et al. 2018 (ApJL 866, L18, Eq. 4) hydro-based approximation [kg s^-1].

    Mdot [g/s] = exp(beta) F^a1 (a/AU)^a2 (R/R_E)^a3 Lambda^(zeta + theta ln(a/AU)), F in
    erg s^-1 cm^-2; the large-Lambda branch applies for Lambda >= Lambda_b with
    Lambda_b = exp[(15.611 - 0.578 ln F + 1.537 ln a + 1.018 ln R) / (5.564 + 0.894 ln a)].
    f_xuv [W m^-2], a [m], r_pl [m]. Converted to SI at the edges of this function.
    """
    xp = _xp(f_xuv, a, r_pl, lam)
    ln_f = xp.log(f_xuv * 1.0e3)  # W m^-2 -> erg s^-1 cm^-2
    ln_a = xp.log(a / C.AU)
    ln_r = xp.log(r_pl / C.R_EARTH)
    ln_lam = xp.log(lam)
    ln_border = (15.611 - 0.578 * ln_f + 1.537 * ln_a + 1.018 * ln_r) / (5.564 + 0.894 * ln_a)
    large = _k18_branch(K18_LARGE, ln_f, ln_a, ln_r, ln_lam)
    small = _k18_branch(K18_SMALL, ln_f, ln_a, ln_r, ln_lam)
    ln_mdot_cgs = xp.where(ln_lam >= ln_border, large, small)
    return xp.exp(ln_mdot_cgs) * 1.0e-3  # g/s -> kg/s


def euv_luminosity_sanz_forcada(l_x):
    """EUV luminosity from X-ray, log L_EUV = 0.860 log L_X + 4.80 (erg/s) [W].

    Sanz-Forcada et al. 2011 (A&A 532, A6, Eq. 3; Reza et al. 2025 Eq. 3). Bands: X 5-100 A,
    EUV 100-920 A. l_x [W]; converted to erg/s for the fit and back.
    """
    xp = _xp(l_x)
    log_lx_cgs = xp.log10(l_x * 1.0e7)
    return 10.0 ** (0.860 * log_lx_cgs + 4.80) * 1.0e-7


def flux_at_orbit(luminosity, a):
    """Flux at distance a, F = L / (4 pi a^2) [W m^-2]."""
    xp = _xp(luminosity, a)
    return luminosity / (4.0 * xp.pi * a**2)
