"""The parameter table (materials.py) and mantle proportions (mantle.py) against interior.md 1.3."""

from __future__ import annotations

import math

import pytest

from planetinfer.eos import mantle
from planetinfer.eos import materials as mat


def test_every_row_has_citation_and_family():
    for row in mat.MATERIALS.values():
        assert row.citation
        assert row.family in {"polytrope", "bm3", "bm4", "vinet", "bm3_thermal", "mgd", "tfd"}


def test_confirmed_flags_follow_the_sheet():
    """[tables] rows confirmed; Table A, Table C and graphite stay 'unconfirmed'."""
    for name in ("fe_vinet", "mgsio3_bm4", "h2o_bm3"):
        assert mat.get(name).confirmed
    for name in (
        "graphite_bm3",
        "seager_fe",
        "olivine",
        "enstatite",
        "fe_liquid",
        "fes_liquid",
        "ice_vii",
        "bridgmanite",
        "magnesiowustite",
        "bridgmanite_bm3t",
    ):
        assert not mat.get(name).confirmed
        assert "unconfirmed" in mat.get(name).citation


def test_molar_masses_match_the_sheet():
    """interior.md 4.5 item 5 molar masses: MgO 40.304, MgSiO3 100.389, H2O 18.015 g/mol."""
    assert mat.get("magnesiowustite").molar_mass == pytest.approx(40.304e-3, abs=1e-6)
    assert mat.get("bridgmanite").molar_mass == pytest.approx(100.389e-3, abs=1e-6)
    assert mat.get("ice_vii").molar_mass == pytest.approx(18.015e-3, abs=1e-6)


def test_iron_substituted_zero_pressure_densities():
    """interior.md 1.3 [derived]: at x_Fe = 0.1 ol 3340(.2), en 3294.9, pv ~4215, mw ~3812."""
    assert mat.with_iron(mat.get("olivine"), 0.1).rho0 == pytest.approx(3340.2, abs=1e-9)
    assert mat.with_iron(mat.get("enstatite"), 0.1).rho0 == pytest.approx(3294.9, abs=1e-9)
    assert mat.with_iron(mat.get("magnesiowustite"), 0.1).rho0 == pytest.approx(3812.0, abs=1e-9)
    assert mat.with_iron(mat.get("bridgmanite"), 0.1).rho0 == pytest.approx(4215.0, abs=2.0)


def test_mantle_proportions_literal_reading():
    """interior.md 1.3 [derived], molar Mg/Si = 1.131, Mg# 0.9: Fe/Si 0.1257, (Mg+Fe)/Si 1.2567;
    0.2567 ol + 0.7433 en (mass 0.329/0.671); 1 pv + 0.2567 mw (mass 0.903/0.097)."""
    assert mantle.cations_per_si(1.131, 0.9) - 1.131 == pytest.approx(0.1257, abs=1e-4)
    upper, lower = mantle.upper_mantle(), mantle.lower_mantle()
    assert upper.moles_per_si == pytest.approx((0.2567, 0.7433), abs=1e-4)
    assert upper.mass_fractions == pytest.approx((0.329, 0.671), abs=1e-3)
    assert lower.moles_per_si == pytest.approx((1.0, 0.2567), abs=1e-4)
    assert lower.mass_fractions == pytest.approx((0.903, 0.097), abs=1e-3)


def test_mantle_proportions_other_reading():
    """(Mg+Fe)/Si = 1.131 reading: 0.131 mol ol per mol Si (interior.md 1.3)."""
    assert mantle.upper_mantle(reading="mg_plus_fe").moles_per_si[0] == pytest.approx(0.131)
    with pytest.raises(ValueError, match="reading"):
        mantle.upper_mantle(reading="si")


def test_derived_lower_mantle_expansivity_is_grueneisen_high_t_limit():
    """alpha fit of thermal_bm3_from_mgd tends to gamma0 rho0 (3nR/M)/K0 at high T."""
    row = mat.get("bridgmanite")
    derived = mat.get("bridgmanite_bm3t")
    limit = row.gamma0 * row.rho0 * mat.dulong_petit(row.n_atoms, row.molar_mass) / row.k0
    alpha_3000 = derived.alpha0 + derived.alpha1 * 3000.0
    assert alpha_3000 == pytest.approx(limit, rel=0.03)
    assert derived.dk_dt_gpa == 0.0 and not math.isnan(derived.alpha0)
