"""Cold-curve point values: interior.md section 4.5, EoS items 1-4 and 6 (Seager et al. 2007,
ApJ 669, 1279, Table 3 polytropes and Table 1 fits, values [tables]; Table A BM3 at 300 K)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from planetinfer.eos import birch_murnaghan as bm
from planetinfer.eos import materials as mat
from planetinfer.eos import polytrope
from planetinfer.eos.invert import density_from_pressure
from planetinfer.eos.phase import pressure_function

GPA = 1e9


def invert_cold(row, pressures_gpa):
    fn = pressure_function(row)
    p = jnp.asarray(pressures_gpa) * GPA
    rho, found = density_from_pressure(fn, p, 300.0, 0.9 * row.rho0, 10.0 * row.rho0)
    assert bool(jnp.all(found))
    return np.asarray(rho)


@pytest.mark.parametrize(
    ("name", "pressure", "expected"),
    [("seager_fe", 1e11, 10543.0), ("seager_mgsio3", 1e11, 5538.0), ("seager_h2o", 1e10, 1879.5)],
)
def test_seager_polytropes_item1(name, pressure, expected):
    """interior.md 4.5 item 1 (Seager 2007 Table 3 polytropes): +-1 kg/m^3."""
    row = mat.get(name)
    rho = float(polytrope.density(pressure, row.rho0, row.polytrope_c, row.polytrope_n))
    assert rho == pytest.approx(expected, abs=1.0)


def test_vinet_iron_item2():
    """interior.md 4.5 item 2: Seager 2007 eps-Fe Vinet (8300, 156.2, 6.08) -> +-0.5 kg/m^3."""
    rho = invert_cold(mat.get("fe_vinet"), [10.0, 100.0, 300.0])
    np.testing.assert_allclose(rho, [8763.5, 10995.1, 13466.9], atol=0.5)


def test_bm4_mgsio3_item3():
    """interior.md 4.5 item 3: BM4 MgSiO3 (4100, 247, 3.97, -0.016) -> 4257.0 / 5252.4 (+-0.5).
    5250.9 at 100 GPa would mean the 3/2 factors are missing."""
    rho = invert_cold(mat.get("mgsio3_bm4"), [10.0, 100.0])
    np.testing.assert_allclose(rho, [4257.0, 5252.4], atol=0.5)
    assert abs(rho[1] - 5250.9) > 1.0


def test_bm3_water_item4():
    """interior.md 4.5 item 4: BM3 ice VII (1460, 23.7, 4.15) at 10 GPa -> 1875.3 (+-0.5)."""
    assert invert_cold(mat.get("h2o_bm3"), [10.0])[0] == pytest.approx(1875.3, abs=0.5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("olivine", [3366.0, 3573.6, 3820.8]), ("enstatite", [3323.8, 3535.8, 3759.3])],
)
def test_bm3_at_300k_item6(name, expected):
    """interior.md 4.5 item 6: BM3 at 300 K of Table A ol (3340.2, 128, 4.3) and en (3294.9, 111,
    7) at x_Fe = 0.1, at 1/10/23 GPa (+-0.5 kg/m^3). Uses the T-dependent rows at T0 = 300 K,
    which must reduce to plain BM3 there."""
    row = mat.with_iron(mat.get(name), 0.1)
    rho = invert_cold(row, [1.0, 10.0, 23.0])
    np.testing.assert_allclose(rho, expected, atol=0.5)
    plain = bm.bm3_pressure(jnp.asarray(rho), row.rho0, row.k0, row.k0_prime)
    np.testing.assert_allclose(np.asarray(plain), [1e9, 1e10, 2.3e10], rtol=1e-9)


def test_bm4_reduces_to_bm3_when_k0pp_matches():
    """Property: BM4 equals BM3 when K0 K0'' = -(K0'-4)(K0'-3) - 35/9 (the implied BM3 value)."""
    k0, k0p = 200e9, 4.5
    k0pp = (-(k0p - 4.0) * (k0p - 3.0) - 35.0 / 9.0) / k0
    rho = jnp.linspace(4000.0, 9000.0, 7)
    p4 = bm.bm4_pressure(rho, 4000.0, k0, k0p, k0pp)
    p3 = bm.bm3_pressure(rho, 4000.0, k0, k0p)
    # BM3 in f: 3K0 f (1+2f)^(5/2) (1 + 3/2 (K0'-4) f); the BM4 f^2 term vanishes at this K0''
    np.testing.assert_allclose(np.asarray(p4), np.asarray(p3), rtol=1e-12)


def test_thermal_bm3_reference_state():
    """rho0(T) = rho0 exp(-int alpha dT), K0(T) = K0 + dK/dT (T - T0), T0 = 300 K (interior.md
    1.2): at P = 0 the T-dependent BM3 returns rho0(T); at T0 it is plain BM3."""
    row = mat.with_iron(mat.get("olivine"), 0.1)
    t = 1300.0
    integral = row.alpha0 * (t - 300.0) + 0.5 * row.alpha1 * (t**2 - 300.0**2)
    rho0_t, k0_t = bm.thermal_bm3_reference(
        t, row.rho0, row.k0, row.alpha0, row.alpha1, row.alpha2, row.dk_dt
    )
    assert float(rho0_t) == pytest.approx(row.rho0 * np.exp(-integral), rel=1e-14)
    assert float(k0_t) == pytest.approx(128e9 - 0.016e9 * 1000.0, rel=1e-14)
    fn = pressure_function(row)
    assert abs(float(fn(rho0_t, t))) < 1e-3
