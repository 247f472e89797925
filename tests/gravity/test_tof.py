"""Theory of figures against exact and published references (reference sheet Sect. 3)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.test_util import check_grads

from planetinfer.gravity import barotrope, tof

# Maclaurin spheroid, Uranus-like rotation m = 0.028842 (reference sheet Table 3.1; exact
# solution of the Maclaurin relation, normalised to the mean radius s).
R, GM, P = 25362e3, 5793950.61e9, 62080.0
MACLAURIN = np.array([1.46326304e-2, -4.58815444e-4, 1.86491023e-5, -8.68271799e-7])
MACLAURIN_A_OVER_S = 1.01241896


@pytest.mark.parametrize(
    "order, tol_j2, tol_j4",
    [(4, 1e-6, 1e-4), pytest.param(7, 2e-8, 1e-5, marks=pytest.mark.slow)],  # ToF7: ~10 s JIT
)
def test_maclaurin_spheroid(order, tol_j2, tol_j4):
    fig = tof.solve(np.full(64, 1000.0), radius_m=R, gm=GM, period_s=P, order=order)
    assert float(tof.rotation_parameter(P, R, GM)) == pytest.approx(0.028842, abs=1e-6)
    rel = np.asarray(fig.j2n[:2]) / MACLAURIN[:2] - 1.0
    assert abs(rel[0]) < tol_j2
    assert abs(rel[1]) < tol_j4
    # ToF4 truncation error measured for PyToF at the same m: J2 -6.3e-7, J4 +6.1e-5
    if order == 4:
        assert rel[0] == pytest.approx(-6.3e-7, rel=0.05)
        assert rel[1] == pytest.approx(6.1e-5, rel=0.05)
    assert float(fig.req_over_rmean) == pytest.approx(MACLAURIN_A_OVER_S, abs=1e-8)
    assert bool(fig.converged)


def test_uniform_sphere_limits():
    fig = tof.solve(np.full(64, 1000.0), radius_m=R, gm=GM, period_s=1e12)
    assert float(fig.nmoi) == pytest.approx(0.4, abs=1e-9)  # C/(MR^2) = 2/5
    assert np.all(np.abs(np.asarray(fig.j2n)) < 1e-12)
    # central pressure of a uniform sphere: 3 G M^2 / (8 pi R^4)
    expected = 3 * GM**2 / 6.67430e-11 / (8 * np.pi * R**4)
    assert float(fig.central_pressure) == pytest.approx(expected, rel=2e-3)


def test_warm_start_is_faster():
    n = 64
    x = 1.0 - np.arange(n) / n
    rho = 500 + 6000 * (1 - x)
    cold = tof.solve(rho, radius_m=R, gm=GM, period_s=P)
    warm = tof.solve(rho * (1 + 0.01 * x), radius_m=R, gm=GM, period_s=P, s_init=cold.s)
    assert int(warm.iterations) < int(cold.iterations)


def test_n1_polytrope_wisdom_hubbard_2016_fast():
    # WH16 Table 3 (CLC); PyToF ToF4 at N=1024 errs by 1.6e-5 (J2) and 2.9e-4 (J4).
    p = barotrope.relax_polytrope_n1(256, order=4, outer_iterations=40)
    rel = np.asarray(p.j2n[:2]) / np.asarray(barotrope.WH16_J2N[:2]) - 1
    assert abs(rel[0]) < 2e-4  # N = 256 discretisation
    assert abs(rel[1]) < 1e-3
    assert float(p.req_over_rmean) == pytest.approx(1.0224765, abs=1e-5)  # PyToF value
    assert float(p.nmoi) == pytest.approx(0.270247, abs=2e-5)  # PyToF value


@pytest.mark.slow
def test_n1_polytrope_tof7_converges_with_n():
    errors = []
    for n in (256, 1024, 4096):
        p = barotrope.relax_polytrope_n1(n, order=7)
        errors.append(abs(float(p.j2n[0]) / barotrope.WH16_J2N[0] - 1))
        if n == 1024:  # PyToF ToF7 at N=1024: J2 2.0e-5, J4 4.0e-5
            rel4 = abs(float(p.j2n[1]) / barotrope.WH16_J2N[1] - 1)
            assert errors[-1] < 2e-5 and rel4 < 4e-5
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-6


def test_check_grads_implicit_differentiation():
    n = 64
    x = 1.0 - np.arange(n) / n
    rho = jnp.asarray(300 + 5000 * (1 - x) ** 1.5)

    def outputs(r):
        fig = tof.solve(r, radius_m=R, gm=GM, period_s=P, reference_radius_m=25559e3)
        return jnp.concatenate([fig.j2n[:2] * 1e3, jnp.stack([fig.nmoi, fig.req_over_rmean])])

    check_grads(outputs, (rho,), order=1, modes=("rev",), eps=1e-3, atol=1e-6, rtol=1e-5)


def test_gradient_matches_central_differences_and_batching():
    n = 64
    x = 1.0 - np.arange(n) / n
    rho = 200 + 5000 * (1 - x) ** 2 + 2000 * (x < 0.6)

    def j2(r):
        return tof.solve(r, radius_m=R, gm=GM, period_s=P).j2n[0]

    grad = np.asarray(jax.grad(j2)(jnp.asarray(rho)))
    h = 1e-3 * rho
    both = np.concatenate([rho[None] + np.diag(h), rho[None] - np.diag(h)])
    batch = tof.solve(both, radius_m=R, gm=GM, period_s=P)
    j = np.asarray(batch.j2n[:, 0])
    fd = (j[:n] - j[n:]) / (2 * h)
    cosine = grad @ fd / np.linalg.norm(grad) / np.linalg.norm(fd)
    assert cosine > 0.99999
    np.testing.assert_allclose(grad, fd, rtol=1e-4, atol=1e-6 * np.abs(fd).max())
    single = tof.solve(both[3], radius_m=R, gm=GM, period_s=P)  # vmap = one profile at a time
    np.testing.assert_allclose(batch.j2n[3], single.j2n, rtol=1e-10)


@pytest.mark.parametrize("order", [4, 7])
def test_term_by_term_and_dense_polynomials_agree(order):
    # Property: the iteration evaluates the ToF polynomials (Nettelmann 2017 B.12-B.17) term by
    # term over the non-zero coefficients, the dense tables hold the same coefficients; both forms
    # must give the same f_2n, f'_2n, a_kn, b_kn and A_2k to rounding. Eager (no JIT): ~1 s.
    n = 16
    rng = np.random.default_rng(7)
    s = jnp.asarray(rng.uniform(-1.0, 1.0, (n, order)) * 0.1 ** np.arange(1, order + 1))
    big_s = jnp.asarray(rng.uniform(0.1, 1.0, (n, order + 1)) * 0.1 ** np.arange(order + 1))
    big_sp = jnp.asarray(rng.uniform(0.1, 1.0, (n, order + 1)) * 0.1 ** np.arange(order + 1))
    mono = tof.monomial_list(s, order)

    def evaluate(dense):
        return (
            *tof.figure_polynomials(mono, order, dense),
            *tof.coupling_polynomials(mono, order, dense),
            tof.equilibrium_coefficients(mono, big_s, big_sp, 0.03, order, dense),
        )

    for sparse_value, dense_value in zip(evaluate(False), evaluate(True), strict=True):
        scale = np.abs(np.asarray(dense_value)).max()
        np.testing.assert_allclose(sparse_value, dense_value, rtol=1e-12, atol=1e-14 * scale)
