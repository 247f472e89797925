"""interior/calibration.py: the scale-mixture recalibration is an exact mixture of normals."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from planetinfer.interior import calibration, mdn
from planetinfer.interior import transforms as T

from .test_mdn import LOG_PROB, SAMPLE, X, _random_model


def _calibrated(model, triple):
    config = mdn.MDNConfig.from_json({**model.config.to_json(), "calibration": list(triple)})
    return mdn.with_config(model, config)


def _targets(model, n=2000):
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(5), n)
    return jnp.asarray(T.encode_patterns(np.asarray(s["mass_fractions"]),
                                         np.asarray(s["radius_fractions"])))  # fmt: skip


def test_equal_factors_leave_the_density_unchanged():
    """(1 - eps) N(mu, S) + eps N(mu, S) = N(mu, S): log_prob identical for any eps."""
    model = _random_model(seed=3)
    targets = _targets(model)
    xs = jnp.tile(jnp.asarray(X), (targets.shape[0], 1))
    base = np.asarray(LOG_PROB(model, xs, targets)[0])
    same = np.asarray(LOG_PROB(_calibrated(model, (0.3, 1.0, 1.0)), xs, targets)[0])
    np.testing.assert_allclose(same, base, rtol=1e-5, atol=1e-4)


def test_narrow_core_raises_the_density_at_the_component_means():
    """With a < 1 the density at a one-component mixture's mean rises by (1-eps)/a^D + eps/b^D."""
    model = _random_model(seed=3, components=1)
    flat = jax.vmap(model)(jnp.asarray(X[None]))
    prefix, mixtures, dims = mdn._block_distributions(model, flat)
    mean = mixtures[3].component_distribution.loc[:, 0]  # pattern 'neither', D = 2
    eps, a, b = 0.2, 0.5, 1.5
    widened = calibration.widen(mixtures[3], calibration.ScaleMixture(eps, a, b))
    ratio = np.exp(float(widened.log_prob(mean)[0]) - float(mixtures[3].log_prob(mean)[0]))
    assert ratio == pytest.approx((1 - eps) / a**2 + eps / b**2, rel=1e-5)


def test_calibrated_samples_follow_log_prob():
    """KS test of the 'neither' block's first coordinate: sample CDF against the CDF integrated
    from exp(log_prob) of the calibrated model (sampling and density use the same mixture)."""
    model = _calibrated(_random_model(seed=4), (0.15, 0.45, 1.2))
    n = 20_000
    s = SAMPLE(model, jnp.asarray(X), jax.random.PRNGKey(2), n)
    targets = T.encode_patterns(np.asarray(s["mass_fractions"]), np.asarray(s["radius_fractions"]))
    z = targets[targets[:, 0] == 3, 1:3]
    lo, hi = z.min(0) - 3 * z.std(0), z.max(0) + 3 * z.std(0)
    g0, g1 = np.linspace(lo[0], hi[0], 400), np.linspace(lo[1], hi[1], 400)
    a, b = np.meshgrid(g0, g1, indexing="ij")
    grid = np.zeros((a.size, 7))
    grid[:, 0], grid[:, 1], grid[:, 2] = 3, a.ravel(), b.ravel()
    xs = jnp.tile(jnp.asarray(X), (1024, 1))
    pad = np.concatenate([grid, np.repeat(grid[-1:], (-len(grid)) % 1024, 0)])
    lp = np.concatenate([np.asarray(LOG_PROB(model, xs, jnp.asarray(pad[i : i + 1024]))[1])
                         for i in range(0, len(pad), 1024)])[: len(grid)]  # fmt: skip
    marginal = np.exp(lp).reshape(a.shape).sum(1)
    cdf = np.cumsum(marginal) / marginal.sum()
    result = stats.kstest(z[:, 0], lambda v: np.interp(v, g0, cdf))
    assert result.pvalue > 1e-3, result


@pytest.mark.parametrize("triple", [(0.0, 0.5, 1.2), (1.0, 0.5, 1.2), (0.1, 0.0, 1.2),
                                    (0.1, 0.5, -1.0)])  # fmt: skip
def test_invalid_calibration_names_the_valid_range(triple):
    with pytest.raises(ValueError, match="calibration"):
        mdn.MDNConfig(calibration=triple)


def test_calibration_round_trips_through_the_header():
    config = mdn.MDNConfig(calibration=(0.15, 0.45, 1.2))
    assert mdn.MDNConfig.from_json(config.to_json()) == config
    assert mdn.MDNConfig.from_json({**config.to_json(), "calibration": None}).calibration is None


def test_worst_deviation_is_the_largest_miss_in_points():
    coverage = {"a": {"c68": 0.70, "c95": 0.95}, "b": {"c68": 0.68, "c95": 0.91}}
    assert calibration.worst_deviation(coverage) == pytest.approx(4.0)


def test_saved_calibration_keeps_the_weights_and_the_provenance(tiny_model, tmp_path):
    from planetinfer.interior import store

    loaded = store.load(tiny_model[0])
    result = {"calibration": [0.1, 0.7, 1.4], "worst_pp": 1.0, "coverage": {}, "grid": []}
    path = calibration.save_calibrated(loaded, result, tmp_path, "pytest calibrate")
    again = store.load(path)
    assert again.model.config.calibration == (0.1, 0.7, 1.4)
    assert again.header["weights_sha256"] == loaded.header["weights_sha256"]
    assert again.header["command"] == loaded.header["command"]
    assert again.header["calibration"]["command"] == "pytest calibrate"


def test_calibrate_cli_unknown_model_is_one_line_and_exit_code_2(tmp_path, capsys):
    from planetinfer.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["interior", "calibrate", "--model", str(tmp_path / "missing.json"),
              "--data", str(tmp_path), "--out", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("\n") == 1 and err.startswith("error: model")
