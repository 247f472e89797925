"""Additive-volume mixing (interior.md 1.2; section 4.5, EoS item 8)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planetinfer.eos.mixing import mix_density, mix_isentropic_gradient


@settings(max_examples=50, deadline=None)
@given(
    rho=st.floats(1e-3, 1e6, allow_nan=False),
    weight=st.floats(0.0, 1.0, allow_nan=False),
)
def test_mixing_identical_materials_item8(rho, weight):
    """Two identical materials mix to the same density (1e-12)."""
    mixed = float(mix_density([jnp.asarray(rho), jnp.asarray(rho)], [weight, 1.0 - weight]))
    assert abs(mixed / rho - 1.0) < 1e-12


def test_mixing_is_harmonic_mean_by_mass():
    mixed = float(mix_density([jnp.asarray(1000.0), jnp.asarray(3000.0)], [0.5, 0.5]))
    assert mixed == 1.0 / (0.5 / 1000.0 + 0.5 / 3000.0)


def test_single_phase_gradient_is_alpha_p_over_rho_cp():
    p, alpha, rho, cp = 1e10, 3e-5, 4000.0, 1200.0
    gradient = mix_isentropic_gradient(p, None, [rho], [alpha], [cp], [1.0])
    np.testing.assert_allclose(float(gradient), alpha * p / (rho * cp), rtol=1e-15)
