"""Zero-temperature TFD (Salpeter & Zapolsky 1967 in the form of Seager et al. 2007):
interior.md section 4.5, EoS item 7, and the section 1.4 reference densities [derived]."""

from __future__ import annotations

import numpy as np
import pytest

from planetinfer.eos import envelope, tfd

HHE = envelope.hydrogen_helium_composition(0.71)


def test_h_he_zero_pressure_density_item7():
    """rho(P = 0) of X = 0.71 H/He = 211.1 kg/m^3 (+-0.5 %)."""
    assert float(tfd.density(0.0, *HHE)) == pytest.approx(211.1, rel=5e-3)


def test_h_he_reference_table_section_1_4():
    """interior.md 1.4 table [derived]: 211.1 / 209.4 / 251.0 / 792.1 / 2188.6 kg/m^3 at
    0 / 1e4 Pa / 1 GPa / 100 GPa / 1 TPa; printed to 0.1 kg/m^3, so +-0.06 kg/m^3."""
    pressures = np.array([0.0, 1e4, 1e9, 1e11, 1e12])
    np.testing.assert_allclose(
        np.asarray(tfd.density(pressures, *HHE)), [211.1, 209.4, 251.0, 792.1, 2188.6], atol=0.06
    )


def test_iron_and_water_at_1e16_pa_item7():
    """Fe and H2O at 1e16 Pa: 866.3 and 556.4 g/cm^3 (+-0.1 %), Seager 2007 tables 866,348 and
    556,355 kg/m^3."""
    iron = float(tfd.density(1e16, [26.0], [55.845], [1.0]))
    water = float(tfd.density(1e16, [1.0, 8.0], [1.008, 16.00], [2.0, 1.0]))
    assert iron == pytest.approx(866.3e3, rel=1e-3)
    assert water == pytest.approx(556.4e3, rel=1e-3)
    assert iron == pytest.approx(866348.0, rel=1e-3)  # Seager's tabulated value


def test_density_constant_is_3886_not_the_3866_typo():
    assert tfd.DENSITY_CONSTANT == 3.886


def test_per_atom_mixing_equals_mass_weighted_additive_volume_item7():
    """n_i = w_i/A_i per-atom mixing = 1/rho = sum w_i/rho_i of the pure elements (1e-12)."""
    pressures = np.logspace(0.0, 16.0, 17)
    z, a, n = HHE
    mixed = np.asarray(tfd.density(pressures, z, a, n))
    pure = [
        np.asarray(tfd.density(pressures, [zi], [ai], [1.0])) for zi, ai in zip(z, a, strict=True)
    ]
    additive = 1.0 / (0.71 / pure[0] + 0.29 / pure[1])
    np.testing.assert_allclose(mixed, additive, rtol=1e-12)


def test_approaches_degenerate_electron_gas_item7():
    """rho/rho_degenerate -> 1 as P -> infinity; within 9 % at 1e20 Pa for Fe (sheet: 1.089)."""
    ratios = [
        float(tfd.density(p, [26.0], [55.845], [1.0]))
        / float(tfd.degenerate_electron_gas_density(p, [26.0], [55.845], [1.0]))
        for p in (1e18, 1e20, 1e22)
    ]
    assert abs(ratios[1] - 1.0) < 0.09
    assert ratios[1] == pytest.approx(1.089, abs=1e-3)
    assert abs(ratios[2] - 1.0) < abs(ratios[1] - 1.0) < abs(ratios[0] - 1.0)


def test_non_monotonic_at_low_pressure():
    """interior.md 1.4 behaviour: H/He density dips below rho(0) before rising (use as rho(P))."""
    rho = np.asarray(tfd.density(np.array([0.0, 5e6, 1e9]), *HHE))
    assert rho[1] < rho[0] < rho[2]
