"""interior/mdn.py + heads.py: sampling agrees with log_prob (goodness of fit), shapes, dtypes."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from planetinfer.interior import heads, mdn
from planetinfer.interior import transforms as T


def _random_model(representation="patterns", covariance="full", seed=0, components=3,
                  envelope="condensed"):  # fmt: skip
    config = mdn.MDNConfig(("mass", "radius", "teq"), representation, 16, 1, components, covariance,
                           envelope=envelope)  # fmt: skip
    model = mdn.init_model(config, jax.random.PRNGKey(seed), [0.5, 0.2, 700.0], [0.4, 0.2, 500.0],
                           np.zeros((4, 6)), np.ones((4, 6)))  # fmt: skip
    # larger head weights so that the mixture is far from a single standard normal
    last = model.mlp.layers[-1]
    return eqx.tree_at(lambda m: m.mlp.layers[-1].weight, model, last.weight * 8.0)


X = np.array([2.0, 1.5, 700.0])
SAMPLE = eqx.filter_jit(mdn.sample_one)
LOG_PROB = eqx.filter_jit(mdn.log_prob)


def _log_prob_chunked(model, targets, part=0, chunk=1024):
    """log_prob at fixed input X for many targets, in equal chunks (one compilation)."""
    n = targets.shape[0]
    padded = np.concatenate([targets, np.repeat(targets[-1:], (-n) % chunk, 0)])
    xs = jnp.tile(jnp.asarray(X), (chunk, 1))
    parts = [np.asarray(LOG_PROB(model, xs, jnp.asarray(padded[i : i + chunk]))[part], dtype=float)
             for i in range(0, padded.shape[0], chunk)]  # fmt: skip
    return np.concatenate(parts)[:n]


def test_pattern_frequencies_match_categorical_head():
    model = _random_model()
    samples = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(1), 20_000)
    counts = np.bincount(np.asarray(samples["pattern"]), minlength=4)
    pi = np.asarray(mdn.pattern_probabilities(model, jnp.asarray(X[None])))[0]
    chi2 = stats.chisquare(counts, 20_000 * pi / pi.sum())
    assert chi2.pvalue > 1e-3, (counts, pi)


def test_two_dimensional_block_samples_follow_log_prob():
    """Chi-square of sample counts in 3 x 3 boxes of z (pattern 'neither', D = 2) against the
    boxes' probabilities integrated from exp(log_prob) on a fine grid."""
    model = _random_model(seed=4)
    n = 40_000
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(2), n)
    targets = T.encode_patterns(np.asarray(s["mass_fractions"]), np.asarray(s["radius_fractions"]))
    z = targets[targets[:, 0] == 3, 1:3]
    edges = [np.quantile(z[:, i], [0, 1 / 3, 2 / 3, 1]) for i in range(2)]
    counts, _, _ = np.histogram2d(z[:, 0], z[:, 1], bins=edges)
    lo = [e[0] - 3 * np.std(z[:, i]) for i, e in enumerate(edges)]
    hi = [e[-1] + 3 * np.std(z[:, i]) for i, e in enumerate(edges)]
    g0, g1 = (np.linspace(lo[i], hi[i], 300) for i in range(2))
    a, b = np.meshgrid(g0, g1, indexing="ij")
    grid = np.zeros((a.size, 7))
    grid[:, 0], grid[:, 1], grid[:, 2] = 3, a.ravel(), b.ravel()
    density = np.exp(_log_prob_chunked(model, grid)).reshape(a.shape)
    cell = (g0[1] - g0[0]) * (g1[1] - g1[0])
    # inner edges from the samples, outer boxes open to the integration limits
    e0, e1 = edges[0].copy(), edges[1].copy()
    e0[0], e0[-1], e1[0], e1[-1] = -np.inf, np.inf, -np.inf, np.inf
    i0, i1 = np.digitize(a.ravel(), e0[1:-1]), np.digitize(b.ravel(), e1[1:-1])
    prob = np.zeros((3, 3))
    np.add.at(prob, (i0, i1), density.ravel() * cell)
    expected = prob * n
    assert abs(prob.sum() * n - z.shape[0]) < 5 * np.sqrt(z.shape[0])  # pi_3 agrees too
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert stats.chi2.sf(chi2, df=8) > 1e-3, (counts, expected)


@pytest.mark.parametrize("envelope", ["core", "condensed"])
def test_samples_decode_to_the_mixture_mean_in_the_models_envelope_coordinate(envelope):
    """Sampling and log_prob use the same coordinates: the pattern-'no_water' (D = 4, envelope
    present) draws, encoded in the model's coordinate, average to the mixture's mean."""
    model = _random_model(seed=5, envelope=envelope)
    n = 20_000
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(4), n)
    m, d = np.asarray(s["mass_fractions"], float), np.asarray(s["radius_fractions"], float)
    targets = T.encode_patterns(m, d, envelope)
    z = targets[targets[:, 0] == 1, 1:5]
    assert z.shape[0] > 500
    _, mixtures, _ = mdn._block_distributions(model, model(jnp.asarray(X)))
    mean = np.asarray(mixtures[1].mean, float)
    sd = np.sqrt(np.asarray(mixtures[1].variance, float) / z.shape[0])
    assert np.all(np.abs(z.mean(0) - mean) < 5 * sd), (z.mean(0), mean, sd)


def test_config_from_old_header_keeps_the_core_coordinate():
    old = {"inputs": ["mass", "radius"], "representation": "patterns", "width": 8, "depth": 1,
           "components": 2, "covariance": "full", "activation": "silu"}  # fmt: skip
    assert mdn.MDNConfig.from_json(old).envelope == "core"
    assert mdn.MDNConfig.from_json(old).min_scale == heads.MIN_SCALE == 1e-3
    new = mdn.MDNConfig(("mass", "radius"))
    assert new.envelope == "condensed" and new.min_scale == 1e-5
    assert mdn.MDNConfig.from_json(new.to_json()) == new


def test_cholesky_diagonal_respects_the_scale_floor():
    raw = jnp.full((3, 6 * 7 // 2), -50.0)  # softplus(-50) ~ 2e-22: the floor alone remains
    for floor in (1e-3, 1e-5):
        diagonal = jnp.diagonal(heads._cholesky(raw, 6, floor), axis1=-2, axis2=-1)
        np.testing.assert_allclose(np.asarray(diagonal), floor, rtol=1e-6)


def test_one_dimensional_radius_mixture_ks_against_integrated_log_prob():
    model = _random_model("radius1d", "diag", seed=7)
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(3), 5000)
    core = np.asarray(s["radius_fractions"][:, 0], dtype=float)
    grid = np.linspace(core.min() - 2, core.max() + 2, 20_000)
    targets = np.zeros((grid.size, 4))
    targets[:, 0] = grid
    pdf = np.exp(_log_prob_chunked(model, targets, part=1))
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * np.diff(grid))])
    assert abs(cdf[-1] - 1.0) < 1e-3
    assert stats.kstest(core, lambda y: np.interp(y, grid, cdf)).pvalue > 1e-3


def test_network_is_float32_and_outputs_finite():
    model = _random_model("exomdn", "diag")
    assert model.mlp.layers[0].weight.dtype == jnp.float32
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(0), 100)
    np.testing.assert_allclose(np.asarray(s["mass_fractions"]).sum(1), 1.0, rtol=1e-5)
    assert np.all(np.asarray(s["mass_fractions"]) > 0)  # ExoMDN's representation has no zeros
