"""WMH26 eqs 3-6, A.5 and Listing 2."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from planetinfer.gravity import parameterisation as par

M, R = 8.68e25, 25362e3


def test_binary_subdivision_is_monotone_and_reproducible():
    a = np.asarray(par.binary_subdivision(jax.random.PRNGKey(3), 64))
    b = np.asarray(par.binary_subdivision(jax.random.PRNGKey(3), 64))
    np.testing.assert_array_equal(a, b)
    assert a[0] == 0.0 and np.all(np.diff(a) > 0) and a[-1] < 1.0  # indices 1..N-1 all drawn
    # The first draw (index N/2) is uniform on (0, 1) (Listing 2): mean 1/2, variance 1/12.
    keys = jax.random.split(jax.random.PRNGKey(0), 300)
    mids = np.asarray(jax.vmap(lambda k: par.binary_subdivision(k, 16))(keys)[:, 8])
    assert mids.mean() == pytest.approx(0.5, abs=0.05)
    assert mids.var() == pytest.approx(1 / 12, rel=0.25)
    with pytest.raises(ValueError, match="power of two"):
        par.binary_subdivision(jax.random.PRNGKey(0), 100)


def test_parameters_round_trip_and_mass():
    p, rho = par.start_parameters(jax.random.PRNGKey(1), 64, M, R, delta_min=0.0)
    assert float(par.profile_mass(rho, R)) == pytest.approx(M, rel=1e-12)
    rho2, alpha = par.density(p, M, R)
    assert float(alpha) == pytest.approx(1.0, rel=1e-10)  # eq. 5 with a mass-scaled start
    np.testing.assert_allclose(rho2, rho, rtol=1e-9, atol=1e-9)
    assert float(rho2[0]) == 0.0  # rho_0 = 0 at the surface (eq. 3)


def test_projection_enforces_minimum_increase():
    p = jnp.full(31, -50.0)
    rho = par.unscaled_profile(par.project(p, 1.0))
    np.testing.assert_allclose(np.diff(rho), 1.0, rtol=1e-12)  # A.6: linear minimal profile
    assert float(rho[-1]) == pytest.approx(31.0)  # A.7: N Delta_min at the centre (N-1 steps)


def test_weights_eq4():
    w = np.asarray(par.weights(8))
    z = 1 - np.arange(8) / 8
    np.testing.assert_allclose(w, [np.sum(z[i + 1 :] ** 2) for i in range(7)])
