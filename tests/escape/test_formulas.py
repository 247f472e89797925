"""Formula checks against hand-computed values (sources named) and limiting behaviour."""

import numpy as np
import pytest

from planetinfer import constants as C
from planetinfer.escape import formulas as F

M_E, R_E = 5.9722e24, 6.378e6  # Kubyshkina & Fossati 2021 grid units (reference sheet §1.1)


def test_jeans_parameter_first_grid_row():
    # Grid row 1 (Kubyshkina & Fossati 2021): M = 1 M_E, R = 1 R_E, Teq = 300 K -> Lambda 25.229952
    lam = F.jeans_parameter(M_E, R_E, 300.0, F.KF21)
    assert float(lam) == pytest.approx(25.229952, rel=1e-6)


def test_jeans_parameter_hand_value_cgs():
    # Hand computation in cgs:
    # 6.6726e-8 * 9 * 5.9722e27 * 1.6726e-24 / (1.3807e-16 * 1000 * 3 * 6.378e8)
    expected = 6.6726e-8 * 9 * 5.9722e27 * 1.6726e-24 / (1.3807e-16 * 1000 * 3 * 6.378e8)
    assert float(F.jeans_parameter(9 * M_E, 3 * R_E, 1000.0, F.KF21)) == pytest.approx(
        expected, 1e-12
    )


@pytest.mark.parametrize(("xi", "k"), [(4.93, 0.7), (1.96, 0.3)])
def test_erkaev_k_thresholds(xi, k):
    # Reza et al. 2025: tides non-negligible for K <~ 0.7, dominant for K <~ 0.3 (xi 4.93, 1.96)
    assert float(F.k_tidal_from_xi(xi)) == pytest.approx(k, abs=2e-3)


def test_k_limits():
    # Erkaev et al. 2007: K -> 1 far from the star, K -> 0 as R_roche -> R_pl, undefined below
    assert float(F.k_tidal_from_xi(1e6)) == pytest.approx(1.0, abs=2e-6)
    assert float(F.k_tidal_from_xi(1.0 + 1e-6)) < 1e-11
    assert np.isnan(float(F.k_tidal_from_xi(0.9)))
    a = np.logspace(-2, 3, 20) * C.AU
    k = np.asarray(F.k_tidal(a, 5 * C.M_EARTH, C.M_SUN, 2 * C.R_EARTH))
    assert np.all(np.diff(k) > 0) and k[-1] == pytest.approx(1.0, abs=1e-5)


def test_roche_radius_earth_hill_sphere():
    # Earth's Hill radius a (m/3M)^(1/3) = 1.4966e9 m (1 AU, M_E / M_sun)
    r = float(F.roche_radius(C.AU, C.M_EARTH, C.M_SUN))
    assert r == pytest.approx(C.AU * (C.M_EARTH / (3 * C.M_SUN)) ** (1 / 3), rel=1e-12)
    assert r == pytest.approx(1.4966e9, rel=1e-3)


def test_energy_limited_linear_in_flux_and_hand_value():
    m, r, k = 5 * C.M_EARTH, 2 * C.R_EARTH, 0.8
    rates = np.asarray(F.energy_limited_rate(np.array([1.0, 10.0, 100.0]), m, r, r, k))
    np.testing.assert_allclose(rates / rates[0], [1, 10, 100], rtol=1e-12)
    # Hand value (Erkaev et al. 2007 Eq. 1, R_eff = R_pl): eta pi R^3 F / (G M K)
    expected = 0.15 * np.pi * r**3 * 1.0 / (C.G * m * k)
    assert rates[0] == pytest.approx(expected, rel=1e-12)


def test_effective_radius_scale_height_and_limits():
    # Chen & Rogers 2016: R_eff = R (1 + H~ ln(P_photo/P_EUV)), H~ = 1/(2 Lambda) for mu = 2
    m, r, t = 5 * C.M_EARTH, 2 * C.R_EARTH, 800.0
    p_euv = float(F.euv_absorption_pressure(m, r))
    lam = float(F.jeans_parameter(m, r, t))
    r_eff = float(F.effective_xuv_radius(m, r, t, p_euv * np.e**3))
    assert r_eff == pytest.approx(r * (1 + 3 / (2 * lam)), rel=1e-9)
    assert float(F.effective_xuv_radius(m, r, t, p_euv)) == pytest.approx(r, rel=1e-12)


def test_core_powered_hand_values():
    # Gupta & Schlichting 2019 Eqs. 6, 10, Reza et al. 2025 App. A.2 choices, step by step (cgs)
    m_g, r_cm, t, p_cgs = 5 * 5.9722e27, 2 * 6.378e8, 1000.0, 1.0e4  # P_RCB = 10 mbar
    g, kb, mh, sb = 6.6726e-8, 1.3807e-16, 1.6726e-24, 5.6704e-5
    rho = 2 * mh * p_cgs / (kb * t)
    cs = np.sqrt(kb * t / mh)
    rs = g * m_g / (2 * cs**2)
    rb = 0.4 * g * m_g * 2 * mh / (kb * t)
    kappa = 0.1 * (rho / 1e-3) ** 0.6
    l_cool = 64 * np.pi / 3 * sb * t**4 * rb / (kappa * rho)
    r_core = 6.378e8 * 5**0.25
    cl = l_cool * r_core / (g * m_g)
    bl = 4 * np.pi * rs**2 * cs * rho * np.exp(-g * m_g / (cs**2 * r_cm))
    got = F.core_powered_rates(m_g * 1e-3, r_cm * 1e-2, t, p_cgs * 0.1, F.KF21, 6.378e6, 5.9722e24)
    np.testing.assert_allclose([float(x) * 1e3 for x in got], [cl, bl, min(cl, bl)], rtol=1e-10)


def test_bondi_limit_exponent_is_lambda():
    # With mu = 1 at the sonic point, G M / (c_s^2 R) is the restricted Jeans parameter (Eq. 4)
    m, r, p = 5 * C.M_EARTH, 4 * C.R_EARTH, 1e3
    _, bl1, _ = F.core_powered_rates(m, r, 1000.0, p)
    _, bl2, _ = F.core_powered_rates(m, r * 1.01, 1000.0, p)
    lam1, lam2 = (
        float(F.jeans_parameter(m, r, 1000.0)),
        float(F.jeans_parameter(m, r * 1.01, 1000.0)),
    )
    assert np.log(float(bl2) / float(bl1)) == pytest.approx(lam1 - lam2, rel=1e-9)


def test_roche_overflow_potential_barrier():
    # dU >= 0 between the photosphere and the L1 (Hill) point; the rate grows as R_pl -> R_roche
    m, ms, a, t, p = 10 * C.M_EARTH, 0.5 * C.M_SUN, 0.01 * C.AU, 1500.0, 1e3
    r_roche = float(F.roche_radius(a, m, ms))
    radii = np.array([0.3, 0.5, 0.8, 0.95]) * r_roche
    rates = np.asarray(F.roche_overflow_rate(m, radii, t, a, ms, p)) / radii**2
    assert np.all(np.diff(rates) > 0)
    u = np.asarray(F.roche_potential_radial(np.linspace(0.5, 1.5, 201) * r_roche, a, m, ms))
    assert 90 <= int(np.argmax(u)) <= 110  # the L1 maximum lies near the Hill radius


def test_kubyshkina2018_continuity_at_border():
    # Kubyshkina et al. 2018 Eq. 4: the two branches are built to meet near Lambda_b
    f, a, r = 1.0, 0.1 * C.AU, 3 * C.R_EARTH  # 1e3 erg/s/cm2
    ln_b = (15.611 - 0.578 * np.log(1e3) + 1.537 * np.log(0.1) + 1.018 * np.log(3)) / (
        5.564 + 0.894 * np.log(0.1)
    )
    lam_b = np.exp(ln_b)
    below, above = (float(F.kubyshkina2018_rate(f, a, r, lam_b * s)) for s in (0.999, 1.001))
    assert abs(np.log10(above / below)) < 0.1


def test_sanz_forcada_relation():
    # Sanz-Forcada et al. 2011 Eq. 3: L_X = 1e28 erg/s -> L_EUV = 10^(0.86*28 + 4.8) erg/s
    assert float(F.euv_luminosity_sanz_forcada(1e21)) * 1e7 == pytest.approx(10**28.88, rel=1e-9)
