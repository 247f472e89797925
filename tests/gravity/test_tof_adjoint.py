"""Structured transpose of the ToF Jacobian (tof_adjoint.py) and the Anderson solver."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from planetinfer.gravity import tof
from planetinfer.gravity.fixed_point import _spd_solve, anderson
from planetinfer.gravity.tof_adjoint import shape_transpose


@pytest.mark.parametrize("order", [4, pytest.param(7, marks=pytest.mark.slow)])
def test_shape_transpose_equals_reverse_mode(order):
    # Property: the hand-structured operators equal jax.vjp of the ToF map, off the fixed point
    # too (random shape state), to rounding.
    n = 32
    x = 1.0 - np.arange(n) / n
    rho = jnp.asarray(0.2 + 3.0 * (1 - x) ** 1.5 + 1.5 * (x < 0.5))
    rho = rho / tof.mass_integral(rho, jnp.asarray(x))
    key_s, key_l = jax.random.split(jax.random.PRNGKey(3))
    scale = 10.0 ** -np.arange(1, order + 1)  # s_2n ~ m^n
    s = jax.random.uniform(key_s, (n, order), minval=-1.0, maxval=1.0) * scale
    lam = jax.random.normal(key_l, (n, order))
    m = 0.03

    @jax.jit
    def both(s, rho, lam):
        ref = jax.vjp(lambda a, r: tof.tof_step(a, r, m, order)[0], s, rho)[1](lam)
        transpose, rho_cotangent = shape_transpose(s, rho, m, order)
        return ref, (transpose(lam), rho_cotangent(lam))

    (ref_s, ref_r), (new_s, new_r) = both(s, rho, lam)
    np.testing.assert_allclose(new_s, ref_s, rtol=1e-11, atol=1e-12 * np.abs(ref_s).max())
    np.testing.assert_allclose(new_r, ref_r, rtol=1e-11, atol=1e-12 * np.abs(ref_r).max())


def test_spd_solve_and_anderson_fixed_point():
    a = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    b = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(_spd_solve(jnp.asarray(a), jnp.asarray(b)), np.linalg.solve(a, b))
    # x = c cos(x) componentwise; contraction c |sin x*| <= 0.7: plain iteration needs ~80
    # steps for 1e-13, Anderson (memory 5) far fewer
    c = jnp.array([0.5, 0.8, 1.0, 1.1])
    solve = jax.jit(
        lambda c: anderson(
            lambda v: (c * jnp.cos(v), None),
            jnp.zeros(4),
            lambda *a: jnp.max(jnp.abs(a[2] - a[3])),
            1e-13,
            50,
        )
    )
    x, iterations, _ = solve(c)
    np.testing.assert_allclose(x, c * np.cos(np.asarray(x)), rtol=0, atol=1e-12)
    assert float(iterations) < 20
