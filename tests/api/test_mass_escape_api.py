"""planetinfer.predict_mass, escape_rate and evolve against the capability functions."""

import numpy as np
import pytest

import planetinfer
from planetinfer import constants as C
from planetinfer.errors import InputError
from planetinfer.escape import rates as R
from planetinfer.mrf.predict import load_mass_posterior
from planetinfer.mrf.predict import predict_mass as mrf_predict


def test_predict_mass_equals_mrf_predict():
    api = planetinfer.predict_mass([2.085, 6.7], [989.7, 23.1], radius_err=[0.066, 0.38],
                                   flux_err=[59.15, 3.85], seed=3)  # fmt: skip
    direct = mrf_predict(load_mass_posterior(), [2.085, 6.7], [0.066, 0.38], [989.7, 23.1],
                         [59.15, 3.85], seed=3)  # fmt: skip
    for q in ("p2.5", "p50", "p97.5"):
        np.testing.assert_array_equal(api.quantiles[q], direct["mass_earth"][q])


def test_predict_mass_alone_equals_in_a_table():
    table = planetinfer.predict_mass([1.5, 2.085, 9.0], [10.0, 989.7, 300.0], seed=5)
    alone = planetinfer.predict_mass(2.085, 989.7, seed=5)
    assert alone.quantiles["p50"][0] == table.quantiles["p50"][1]


def test_numpy_relation_equals_jax_relation():
    """mrf/relation.py with NumPy equals the NumPyro model's JAX functions (float64)."""
    import jax.numpy as jnp

    from planetinfer.mrf import model, relation

    post = load_mass_posterior(model="ma2021")
    params = {k: v[7] for k, v in post.draws.items()}
    r, f = np.linspace(-0.2, 1.3, 40), np.linspace(-1.0, 4.0, 40)
    expected = model.mass_location_scale(jnp.asarray(r), jnp.asarray(f),
                                         {k: jnp.asarray(v) for k, v in params.items()}, 0.005)  # fmt: skip
    got = relation.mass_location_scale(r, f, params, 0.005)
    np.testing.assert_allclose(got[0], np.asarray(expected[0]), rtol=1e-12)
    np.testing.assert_allclose(got[1], np.asarray(expected[1]), rtol=1e-12)


def test_escape_rate_equals_analytic_rates_and_network():
    api = planetinfer.escape_rate([9.0, 5.0], [3.0, 2.2], 0.7, 1000.0, 1e4, 0.0151)
    si = dict(m_star=0.7 * C.M_SUN, teq=1000.0, a=0.0151 * C.AU, f_euv=10.0,
              r_pl=np.array([3.0, 2.2]) * C.R_EARTH, m_pl=np.array([9.0, 5.0]) * C.M_EARTH)  # fmt: skip
    analytic = R.analytic_rates(**si)
    for method in ("energy-limited", "core-powered", "roche", "k18"):
        np.testing.assert_allclose(api.rates[method], analytic[method] * 1e3)
    from planetinfer.escape import model_store

    mdot, inside = R.learned_rate(model_store.load_shipped(), **si)
    np.testing.assert_allclose(api.rates["network"], mdot * 1e3)
    np.testing.assert_array_equal(api.network_in_domain, inside)


def test_escape_rate_derives_the_orbit_and_says_how():
    rates = planetinfer.escape_rate(9.0, 3.0, 1.0, 1000.0, 1e4, method="energy-limited")
    # a = sqrt(L_sun / (16 pi sigma Teq^4)) for a 1 M_sun main-sequence star at 1000 K:
    # sqrt(3.828e26 W / (16 pi 5.670e-8 W m^-2 K^-4 1e12 K^4)) = 1.1589e10 m = 0.07747 AU
    assert rates.inputs["a_au"][0] == pytest.approx(0.07747, rel=1e-3)
    assert "main-sequence" in rates.a_au_source


def test_roche_overflow_rates_are_null_with_a_reason():
    rates = planetinfer.escape_rate(9.0, 3.0, 0.7, 1000.0, 1e4, 0.005, method="energy-limited")
    planet = rates.to_dict()["planets"][0]
    assert planet["energy-limited"]["mdot_g_s"] is None
    assert "Roche" in planet["energy-limited"]["reason"]


def test_evolve_reports_its_stellar_model_and_counts_only_rate_evaluations():
    tracks = planetinfer.evolve(9.0, 0.03, 0.5, 0.0151, method="energy-limited,network")
    summary = tracks.to_dict()
    assert "main-sequence" in summary["stellar_model"]
    lost = summary["methods"]["energy-limited"]["envelope_lost_at_gyr"]
    assert lost is not None and lost < 1.0
    fraction = summary["methods"]["network"]["fraction_in_domain"]
    assert fraction is None or 0.0 <= fraction <= 1.0


def test_evolve_takes_envelope_and_the_old_fenv_keyword_with_a_warning():
    """envelope= is the name structure and characterise use; fenv= works for one release."""
    new = planetinfer.evolve(9.0, envelope=0.03, mstar=0.5, a_au=0.0151, method="energy-limited")
    with pytest.warns(DeprecationWarning, match="renamed evolve\\(envelope="):
        old = planetinfer.evolve(9.0, fenv=0.03, mstar=0.5, a_au=0.0151, method="energy-limited")
    assert new.inputs["envelope"] == old.inputs["envelope"] == 0.03
    assert old.to_dict()["methods"] == new.to_dict()["methods"]
    with pytest.raises(InputError, match="not both"):
        planetinfer.evolve(9.0, 0.03, 0.5, 0.0151, fenv=0.03)
    with pytest.raises(InputError, match="envelope"):
        planetinfer.evolve(9.0, mstar=0.5, a_au=0.0151)
