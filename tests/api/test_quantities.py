"""astropy Quantities at the API's edge: converted exactly, never stripped silently."""

import numpy as np
import pytest

import planetinfer
from planetinfer.errors import InputError

u = pytest.importorskip("astropy.units")


def test_radius_in_km_equals_radius_in_earth_radii():
    """6371 km is 0.99889 R_E (IAU 2015 nominal R_E = 6378.1 km): the same mass prediction."""
    km = planetinfer.predict_mass(2.0 * 6378.1 * u.km, 100.0, samples=500)
    earth = planetinfer.predict_mass(2.0, 100.0, samples=500)
    np.testing.assert_allclose(km.quantiles["p50"], earth.quantiles["p50"], rtol=1e-6)


def test_mass_in_kg_and_flux_in_w_m2():
    post = planetinfer.interior_posterior(5.9722e24 * u.kg, 1.0 * u.R_earth, 255.0 * u.K,
                                          samples=300)  # fmt: skip
    assert post.rows[0]["inputs"]["mass"] == pytest.approx(1.0, rel=1e-4)
    from planetinfer.constants import S_EARTH

    flux = planetinfer.predict_mass(2.0, S_EARTH * 100.0 * u.W / u.m**2, samples=300)
    assert flux.inputs["flux"][0] == pytest.approx(100.0)


def test_celsius_converts_to_kelvin():
    post = planetinfer.interior_posterior(1.0, 1.0, (255.0 - 273.15) * u.deg_C, samples=300)
    assert post.rows[0]["inputs"]["teq"] == pytest.approx(255.0)


def test_wrong_kind_of_unit_is_an_error_naming_the_argument():
    with pytest.raises(InputError, match="radius"):
        planetinfer.predict_mass(2.0 * u.kg, 100.0)
    with pytest.raises(InputError, match="mass"):
        planetinfer.interior_posterior(1.0 * u.m, 1.0, 255.0)


def test_escape_rate_takes_quantities():
    plain = planetinfer.escape_rate(9.0, 3.0, 0.7, 1000.0, 1e4, 0.0151, method="energy-limited")
    units = planetinfer.escape_rate(9.0 * u.M_earth, 3.0 * u.R_earth, 0.7 * u.M_sun,
                                    1000.0 * u.K, 10.0 * u.W / u.m**2, 0.0151 * u.AU,
                                    method="energy-limited")  # fmt: skip
    np.testing.assert_allclose(units.rates["energy-limited"], plain.rates["energy-limited"])


def test_low_level_functions_reject_quantities_naming_the_argument():
    """Below the one-call API the functions take plain numbers: a Quantity is an error naming
    the argument, never a unit stripped (a radius in km used to give J2 = 1e-11, converged)."""
    from planetinfer.escape.rates import analytic_rates
    from planetinfer.gravity import tof
    from planetinfer.interior.predict import Planet, validate_planet
    from planetinfer.mrf.predict import load_mass_posterior
    from planetinfer.mrf.predict import predict_mass as low_level_predict_mass
    from planetinfer.structure.solve import solve_batch

    with pytest.raises(InputError, match="radius_m is an astropy Quantity"):
        tof.solve(np.full(64, 1000.0), radius_m=25362 * u.km, gm=5.79e15, period_s=62064.0)
    with pytest.raises(InputError, match="radius is an astropy Quantity"):
        low_level_predict_mass(load_mass_posterior(), 2.0 * u.R_earth, 0.0, 100.0, 0.0)
    with pytest.raises(InputError, match="mass_earth is an astropy Quantity"):
        solve_batch([1.0] * u.M_earth, [[0.325, 0.675, 0.0, 0.0]])
    with pytest.raises(InputError, match="mass_err is an astropy Quantity"):
        validate_planet(Planet({"mass": 1.0, "radius": 1.0}, sigma_plus={"mass": 0.1 * u.M_earth}),
                        ("mass", "radius"))  # fmt: skip
    with pytest.raises(InputError, match="r_pl is an astropy Quantity"):
        analytic_rates(2e30, 1000.0, 1.5e9, 10.0, 3.0 * u.R_earth, 5e25)
