"""The shipped networks never give a confident answer where they have no training planets
(issue: Kepler-51 d came out as a 7.6 M_E iron ball at 9.7 R_E, in_domain true)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from planetinfer import interior_posterior
from planetinfer.interior import predict as P
from planetinfer.interior import store


def _shipped(inputs):
    loaded = store.load_shipped(inputs)
    if loaded.support is None:
        pytest.skip("the shipped network has no support table (planetinfer interior support)")
    return loaded


def test_kepler_51_d_is_outside_with_a_reason():
    """Masuda 2014 / Libby-Roberts 2020: 7.6 +- 1.1 M_E, 9.7 +- 0.5 R_E, Teq 381 +- 8 K."""
    _shipped(("mass", "radius", "teq"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        post = interior_posterior(7.6, 9.7, 381.0, mass_err=1.1, radius_err=0.5, teq_err=8.0,
                                  samples=2000, draws=200, names=["Kepler-51 d"])  # fmt: skip
    planet = post.to_dict()["planets"][0]
    assert planet["in_domain"] is False
    assert "is larger than" in planet["domain_reason"]
    messages = [str(w.message) for w in caught if issubclass(w.category, P.OutOfDomainWarning)]
    assert len(messages) == 1 and "\n" not in messages[0]
    assert messages[0].startswith("Kepler-51 d: no training planet of 7.6 M_E at 381 K")
    json.loads(post.to_json())  # strict JSON whatever the status


def _scan():
    masses = np.geomspace(1.0, 24.0, 6)
    radii = np.array([4.0, 6.0, 8.0, 10.0, 14.0, 19.0])
    teqs = np.array([150.0, 250.0, 400.0, 700.0, 1000.0, 1500.0])
    return np.array(np.meshgrid(masses, radii, teqs, indexing="ij")).reshape(3, -1).T


def test_confident_iron_answers_only_outside_the_support():
    """On a 6 x 6 x 6 grid of puffy planets inside the prior's box, every point where the (M, R,
    Teq) network says 'probably neither water nor envelope, core fraction above 0.9' (an
    impossible answer at these radii) is flagged in_domain = false."""
    loaded = _shipped(("mass", "radius", "teq"))
    grid = _scan()
    planets = [P.Planet(dict(zip(("mass", "radius", "teq"), row, strict=True))) for row in grid]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", P.OutOfDomainWarning)
        rows = P.predict(loaded, planets, n_samples=400, seed=0)
    impossible = [row["in_domain"] for row in rows
                  if row["summary"]["core_mass_fraction"]["p50"] > 0.9
                  and np.mean(row["samples"]["pattern"] == 3) > 0.5]  # fmt: skip
    assert impossible, "the scan should reach the network's failure region"
    assert not any(impossible)
    assert sum(row["in_domain"] for row in rows) > 20  # the support is not empty either


@pytest.mark.parametrize("body, mass, radius, teq", [
    ("Uranus", 14.5, 4.01, 100.0),  # ExoMDN's Teq for Uranus: the prior's lower edge
    ("Mercury", 0.0553, 0.383, 440.0),
    ("Moon", 0.0123, 0.273, 270.0),
])  # fmt: skip
def test_edge_bodies_give_no_nan(body, mass, radius, teq):
    """1 % errors: a posterior or an explicit status with null quantiles, never NaN numbers."""
    _shipped(("mass", "radius", "teq"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", P.OutOfDomainWarning)
        post = interior_posterior(mass, radius, teq, mass_err=0.01 * mass,
                                  radius_err=0.01 * radius, samples=1000, names=[body])  # fmt: skip
    planet = json.loads(post.to_json())["planets"][0]  # strict: no NaN
    if planet["status"] == "ok":
        assert all(v is not None for v in planet["core_mass_fraction"].values())
    else:
        assert planet["status"] == "no_valid_draws" and planet["reason"]
        assert planet["core_mass_fraction"]["p50"] is None
    if body == "Uranus":
        assert planet["status"] == "ok" and planet["in_domain"]


def test_no_posterior_no_figure(tmp_path):
    """A planet whose every draw is outside: the API's plot() says why; the CLI warns, exit 0."""
    import subprocess
    import sys

    from planetinfer.errors import InputError

    _shipped(("mass", "radius", "teq"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", P.OutOfDomainWarning)
        post = interior_posterior(7.6, 9.7, 381.0, mass_err=1.1, radius_err=0.5, samples=500,
                                  draws=100)  # fmt: skip
    with pytest.raises(InputError, match="no posterior samples to plot .status no_valid_draws"):
        post.plot()
    figure = tmp_path / "k51d.png"
    out = subprocess.run([sys.executable, "-m", "planetinfer", "interior", "predict", "--mass",
                          "7.6", "--radius", "9.7", "--teq", "381", "--mass-err", "1.1",
                          "--radius-err", "0.5", "--plot", str(figure)],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0 and "no figure written" in out.stderr and not figure.exists()
