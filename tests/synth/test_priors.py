"""planetinfer.synth.priors: the drawn parameters follow the configured priors (fixed seeds)."""

import numpy as np
import pytest
from scipy import stats

from planetinfer.errors import InputError
from planetinfer.synth.priors import LAYERS, load_prior, prior_from_toml

N = 100_000
SEED = 20260101
P_MIN = 1e-3  # a correct sampler fails one KS test in a thousand at this fixed seed


@pytest.fixture(scope="module")
def draws():
    return {
        name: load_prior(name).sample(N, SEED)
        for name in ("baumeister2020", "exomdn", "planetinfer")
    }


def test_same_seed_same_draws_other_seed_differs():
    prior = load_prior("planetinfer")
    a, b, c = prior.sample(1000, 7), prior.sample(1000, 7), prior.sample(1000, 8)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["mass_earth"], c["mass_earth"])


@pytest.mark.parametrize("name", ["baumeister2020", "exomdn", "planetinfer"])
def test_mass_and_teq_marginals_ks(draws, name):
    prior = load_prior(name)
    assert stats.kstest(draws[name]["mass_earth"], prior.mass.cdf).pvalue > P_MIN
    if prior.teq.kind == "constant":  # Baumeister 2020 has no Teq: recorded as 255 K
        assert np.all(draws[name]["teq"] == 255.0)
    else:
        assert stats.kstest(draws[name]["teq"], prior.teq.cdf).pvalue > P_MIN


def test_baumeister2020_ranges_and_fractions(draws):
    """Section 2.3 of Baumeister et al. 2020: mass log-uniform 0.01-25 M_E, envelope 1e-5-1."""
    d = draws["baumeister2020"]
    assert 0.01 <= d["mass_earth"].min() and d["mass_earth"].max() <= 25.0
    assert (
        stats.kstest(np.log(d["mass_earth"]), "uniform", args=(np.log(0.01), np.log(2500))).pvalue
        > P_MIN
    )
    f = d["mass_fractions"]
    np.testing.assert_allclose(f.sum(axis=1), 1.0, atol=1e-12)
    assert f.min() >= 0.0
    assert f[:, 3].min() >= 1e-5
    # rejection keeps the product prior restricted to core + water + envelope <= 1: given the
    # envelope, (core, water) is uniform on the triangle core + water <= 1 - envelope, so
    # core / (1 - envelope) has density 2 (1 - x) on [0, 1]
    x = f[:, 0] / (1.0 - f[:, 3])
    assert stats.kstest(x, lambda t: 1.0 - (1.0 - t) ** 2).pvalue > P_MIN


@pytest.mark.parametrize("name", ["exomdn", "planetinfer"])
def test_simplex_marginals(draws, name):
    """A flat Dirichlet on k layers has Beta(1, k - 1) marginals (Devroye 1986, XI.4)."""
    f = draws[name]["mass_fractions"]
    classes = draws[name]["composition_class"]
    for index, group in enumerate(load_prior(name).composition.classes):
        rows = f[classes == index]
        k = len(group.layers)
        for j, layer in enumerate(LAYERS):
            if layer in group.layers:
                assert stats.kstest(rows[:, j], "beta", args=(1, k - 1)).pvalue > P_MIN
            else:
                assert np.all(rows[:, j] == 0.0)


def test_planetinfer_zero_layer_shares_within_one_percent(draws):
    """Configured: 40 % all four layers, 20 % no water, 20 % no envelope, 20 % neither."""
    f = draws["planetinfer"]["mass_fractions"]
    no_water, no_envelope = f[:, 2] == 0.0, f[:, 3] == 0.0
    shares = {
        "all": np.mean(~no_water & ~no_envelope),
        "no_water": np.mean(no_water & ~no_envelope),
        "no_envelope": np.mean(~no_water & no_envelope),
        "neither": np.mean(no_water & no_envelope),
    }
    expected = {"all": 0.4, "no_water": 0.2, "no_envelope": 0.2, "neither": 0.2}
    for key, share in shares.items():
        assert abs(share - expected[key]) < 0.01, (key, share)
    counts = np.array([shares[k] for k in expected]) * N
    assert stats.chisquare(counts, np.array(list(expected.values())) * N).pvalue > P_MIN


GOOD = """
name = "mine"
envelope_model = "cold"
[mass]
distribution = "uniform"
low = 1.0
high = 2.0
[teq]
distribution = "constant"
value = 300.0
[composition]
kind = "simplex"
[[composition.classes]]
share = 1.0
layers = ["core", "mantle"]
"""


def test_user_config_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    prior = load_prior(str(path))
    d = prior.sample(500, 1)
    assert prior.name == "mine" and np.all(d["teq"] == 300.0)
    assert np.all(d["mass_fractions"][:, 2:] == 0.0)
    assert 1.0 <= d["mass_earth"].min() and d["mass_earth"].max() <= 2.0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("high = 2.0", "high = 0.5", "low < high"),
        ("value = 300.0", "value = -3.0", "teq.value"),
        ("share = 1.0", "share = 0.7", "sum to"),
        ('"core", "mantle"]', '"core", "rock"]', "layers"),
        ('kind = "simplex"', 'kind = "blob"', "kind"),
        ('distribution = "uniform"', 'distribution = "gauss"', "mass.distribution"),
        ('envelope_model = "cold"', 'envelope_model = "hot"', "envelope_model"),
        ("[teq]", "[teq]\nfoo = 1", "unknown key"),
        ("high = 2.0", "high = 2.0 x", "not valid TOML"),
        ("high = 2.0", "high = 500.0", "mass.high"),
    ],
)
def test_malformed_configs_name_the_field(old, new, message):
    with pytest.raises(InputError, match=message):
        prior_from_toml(GOOD.replace(old, new))


def test_unknown_prior():
    with pytest.raises(InputError, match="neither a built-in prior"):
        load_prior("nonexistent")
