"""The NumPy network (interior/numpy_mdn.py) against the JAX network it was trained as."""

import jax
import numpy as np
import pytest

from planetinfer.interior import mdn, numpy_mdn, store
from planetinfer.interior.transforms import MAX_DIM

PLANETS = {
    ("mass", "radius"): [[1.0, 1.0], [5.0, 2.2], [15.0, 4.0]],
    ("mass", "radius", "k2"): [[1.0, 1.0, 0.93], [5.0, 2.2, 0.3]],
    ("mass", "radius", "teq"): [[1.0, 1.0, 255.0], [8.0, 2.6, 700.0], [20.0, 6.0, 1500.0]],
    ("mass", "radius", "teq", "k2"): [[1.0, 1.0, 255.0, 0.93], [5.0, 2.0, 400.0, 0.5]],
}


@pytest.mark.parametrize("inputs", store.SHIPPED_INPUT_SETS)
def test_same_draws_give_the_same_samples_as_jax(inputs):
    """Same uniform and normal numbers: >= 99.5 % of samples pick the same mixture entry and
    agree to float32 rounding (1e-4); the rest sit on a CDF boundary that rounding moves."""
    loaded = store.load_shipped(inputs)
    n = 4000
    for i, raw in enumerate(PLANETS[inputs]):
        key = jax.random.PRNGKey(i)
        expected = mdn.sample_one(loaded.model, np.asarray(raw, np.float32), key, n)
        key_index, key_value = jax.random.split(jax.random.split(key, 5)[0])
        uniform = np.asarray(jax.random.uniform(key_index, (n,), np.float32))[None]
        normal = np.asarray(jax.random.normal(key_value, (n, MAX_DIM), np.float32))[None]
        got = numpy_mdn.sample_from_draws(loaded.numpy_model, [raw], uniform, normal)
        same = got["pattern"][0] == np.asarray(expected["pattern"])
        for key_name in ("mass_fractions", "radius_fractions"):
            close = np.all(np.abs(got[key_name][0] - np.asarray(expected[key_name])) < 1e-4, 1)
            assert np.mean(same & close) >= 0.995, (inputs, raw, key_name)


@pytest.mark.parametrize("inputs", store.SHIPPED_INPUT_SETS)
def test_network_outputs_match_jax(inputs):
    """The flat head outputs of the MLP agree with equinox's to float32 rounding."""
    loaded = store.load_shipped(inputs)
    raw = np.asarray(PLANETS[inputs], np.float32)
    expected = np.asarray(jax.vmap(loaded.model)(raw))
    np.testing.assert_allclose(loaded.numpy_model.outputs(raw), expected, rtol=1e-4, atol=1e-4)


def test_pattern_probabilities_match_jax():
    loaded = store.load_shipped(("mass", "radius", "teq"))
    raw = np.asarray(PLANETS[("mass", "radius", "teq")], np.float32)
    expected = np.asarray(mdn.pattern_probabilities(loaded.model, raw))
    got = numpy_mdn.pattern_probabilities(loaded.numpy_model, raw)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_fractions_sum_to_one_and_absent_layers_are_zero():
    loaded = store.load_shipped(("mass", "radius", "teq"))
    out = numpy_mdn.sample(loaded.numpy_model, [[4.0, 2.0, 600.0]], 5000, np.random.default_rng(1))
    for key in ("mass_fractions", "radius_fractions"):
        np.testing.assert_allclose(out[key][0].sum(axis=1), 1.0, atol=1e-5)
    pattern = out["pattern"][0]
    assert np.all(out["mass_fractions"][0][np.isin(pattern, (1, 3)), 2] == 0)  # no water
    assert np.all(out["mass_fractions"][0][np.isin(pattern, (2, 3)), 3] == 0)  # no envelope


def test_no_rows_gives_empty_samples():
    loaded = store.load_shipped(("mass", "radius"))
    out = numpy_mdn.sample(loaded.numpy_model, np.zeros((0, 2)), 10, np.random.default_rng(0))
    assert out["mass_fractions"].shape == (0, 10, 4)
