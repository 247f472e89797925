"""Fit plumbing: diagnostics, NetCDF round trip, shipping, information criteria, checks.

The default tests use a synthetic posterior (the shipped global draws plus latents drawn around a
small fake sample), so no NUTS compilation is needed; a tiny real NUTS fit is marked slow.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from planetinfer.mrf.data import SelectionOptions, load_sample
from planetinfer.mrf.fit import (
    FitSettings,
    diagnostics,
    fit_posterior,
    load_posterior,
    metadata,
    save_posterior,
)
from planetinfer.mrf.model import ModelConfig

SNAPSHOT = "exoplanet_archive/nasa_pscomppars_2024-10-15.csv"


def _synthetic_fit(n_planets: int = 25, chains: int = 2, draws: int = 50, seed: int = 0):
    import arviz as az

    from planetinfer.mrf.data import MRFSample
    from planetinfer.mrf.fit import _attach_sample
    from planetinfer.mrf.shipped import load_shipped

    rng = np.random.default_rng(seed)
    shipped, header = load_shipped()
    post = shipped.posterior.isel(chain=slice(0, chains), draw=slice(0, draws))
    radius = 10 ** rng.uniform(0.1, 1.2, n_planets)
    flux = 10 ** rng.uniform(0.5, 3.5, n_planets)
    mass = 10 ** (0.6 + 1.5 * np.log10(radius) + rng.normal(0, 0.2, n_planets))
    sample = MRFSample(
        names=tuple(f"planet {i}" for i in range(n_planets)),
        mass=mass,
        mass_err=0.15 * mass,
        radius=radius,
        radius_err=0.04 * radius,
        flux=flux,
        flux_err=0.1 * flux,
        disc_year=np.full(n_planets, 2015),
    )
    values = {name: post[name].values for name in post.data_vars}
    for key, site, rel in (
        ("mass", "log_mass", 0.15),
        ("radius", "log_radius", 0.04),
        ("flux", "log_flux", 0.1),
    ):
        obs = getattr(sample, key)
        values[site] = np.log10(obs * (1 + rel * rng.standard_normal((chains, draws, n_planets))))
    idata = az.from_dict(
        posterior=values,
        sample_stats={"diverging": np.zeros((chains, draws), bool)},
        coords={"planet": list(sample.names)},
        dims={s: ["planet"] for s in ("log_mass", "log_radius", "log_flux")},
    )
    _attach_sample(idata, sample)
    attrs = {
        "command": "pytest",
        "n_planets": n_planets,
        "model_config": header["model_config"],
        "snapshot": {"sha256": "synthetic"},
        "settings": {"seed": seed},
    }
    idata.posterior.attrs.update({k: json.dumps(v) for k, v in attrs.items()})
    return sample, idata


@pytest.fixture(scope="module")
def synthetic_fit():
    return _synthetic_fit()


def test_diagnostics_of_synthetic_posterior(synthetic_fit):
    _, idata = synthetic_fit
    diag = diagnostics(idata)
    assert diag["divergences"] == 0 and diag["chains"] == 2
    assert diag["global"]["max_rhat"] > 0.9
    assert {"min_ess_bulk", "min_ess_tail", "worst_rhat_parameter"} <= set(diag["latent"])


def test_synthetic_round_trip(synthetic_fit, tmp_path):
    _, idata = synthetic_fit
    loaded = load_posterior(save_posterior(idata, tmp_path / "post.nc"))
    np.testing.assert_array_equal(
        loaded.posterior["log_mass"].values, idata.posterior["log_mass"].values
    )
    assert metadata(loaded)["command"] == "pytest"


def test_synthetic_shipping_and_criteria(synthetic_fit, tmp_path):
    from planetinfer.errors import InputError
    from planetinfer.mrf.compare import information_criteria
    from planetinfer.mrf.shipped import load_shipped, write_shipped

    _, idata = synthetic_fit
    write_shipped(idata, tmp_path, n_draws=30)
    loaded, header = load_shipped(tmp_path)
    assert "log_mass" not in loaded.posterior and header["command"] == "pytest"
    with open(tmp_path / "mrf_posterior.nc", "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(InputError, match="sha256"):
        load_shipped(tmp_path)
    result = information_criteria(idata, ModelConfig(), n_error_draws=8, max_draws=20)
    assert np.isfinite(result["elpd_loo"]) and result["pd"] > 0


def test_checks_on_synthetic_posterior(synthetic_fit):
    from planetinfer.mrf.checks import json_summary, run_checks

    sample, idata = synthetic_fit
    result = run_checks(
        idata, max_draws=50, hotelling_draws=100, replicates=10, planets=list(sample.names[:3])
    )
    summary = json.loads(json.dumps(json_summary(result), default=float))
    assert summary["hotelling"]["n_checked"] == 3
    assert sum(summary["hotelling"]["counts"].values()) == 3
    assert result["mass_residual_array"].shape == (len(sample),)


@pytest.fixture(scope="module")
def tiny_fit(shared_data):
    sample = load_sample(shared_data / SNAPSHOT, SelectionOptions(max_disc_year=2010))
    settings = FitSettings(
        chains=2, warmup=60, samples=40, seed=3, max_tree_depth=5, progress=False
    )
    return sample, fit_posterior(sample, ModelConfig(), settings, command="pytest")


@pytest.mark.slow
def test_tiny_fit_has_expected_shapes_and_metadata(tiny_fit):
    sample, idata = tiny_fit
    post = idata.posterior
    assert post.sizes["chain"] == 2 and post.sizes["draw"] == 40
    assert post["log_mass"].shape == (2, 40, len(sample))
    knots = post["knots"].values
    assert np.all(np.diff(knots, axis=-1) > 0)  # truncation kappa_2 > kappa_1 (eq. 17)
    assert np.all(np.diff(post["flux_mean"].values, axis=-1) > 0)  # ordered means (eq. 7)
    meta = metadata(idata)
    assert meta["command"] == "pytest" and meta["n_planets"] == len(sample)
    assert meta["snapshot"]["sha256"].startswith("0bd320b5")
    diag = meta["diagnostics"]
    assert {"global", "latent", "divergences", "converged"} <= set(diag)


@pytest.mark.slow
def test_netcdf_round_trip(tiny_fit, tmp_path):
    _, idata = tiny_fit
    path = save_posterior(idata, tmp_path / "post.nc")
    loaded = load_posterior(path)
    np.testing.assert_array_equal(
        loaded.posterior["mass_constant"].values, idata.posterior["mass_constant"].values
    )
    assert diagnostics(loaded)["divergences"] == diagnostics(idata)["divergences"]


@pytest.mark.slow
def test_shipping_round_trip_verifies_checksum(tiny_fit, tmp_path):
    from planetinfer.errors import InputError
    from planetinfer.mrf.shipped import load_shipped, write_shipped

    _, idata = tiny_fit
    header_path = write_shipped(idata, tmp_path, n_draws=20)
    header = json.loads(header_path.read_text())
    assert header["command"] == "pytest" and header["draws_shipped"] <= 40
    loaded, _ = load_shipped(tmp_path)
    assert "log_mass" not in loaded.posterior  # latents are not shipped
    with open(tmp_path / "mrf_posterior.nc", "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(InputError, match="sha256"):
        load_shipped(tmp_path)


@pytest.mark.slow
def test_information_criteria_run(tiny_fit):
    from planetinfer.mrf.compare import dic, information_criteria

    _, idata = tiny_fit
    result = information_criteria(idata, ModelConfig(), n_error_draws=8, max_draws=20)
    assert np.isfinite(result["elpd_waic"]) and np.isfinite(result["dic"])
    assert result["pd"] > 0
    assert dic(idata)["dic"] == pytest.approx(result["dic"])


def test_request_host_devices_gives_one_cpu_device_per_chain():
    # in a fresh interpreter (JAX backend not started) the XLA flag takes effect
    import subprocess
    import sys

    code = "from planetinfer.mrf.fit import request_host_devices; print(request_host_devices(3))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "3"


def test_one_chain_has_no_rhat_and_is_not_called_converged(caplog):
    """Split R-hat compares chains: with one chain it is undefined, so it is reported as null with
    a note (ArviZ is not asked, so it prints no shape warning), and the fit is not 'converged'."""
    import arviz as az

    from planetinfer.mrf.monotone_fit import diagnostics as monotone_diagnostics

    draws = np.random.default_rng(0).normal(size=(1, 4000))
    one = monotone_diagnostics(az.from_dict(posterior={"location": draws}), divergences=0)
    assert one["max_rhat"] is None and "2 chains" in one["rhat_note"]
    assert one["min_ess_bulk"] > 3000 and one["converged"] is False
    assert not [r for r in caplog.records if "Shape validation" in r.getMessage()]
    two = monotone_diagnostics(az.from_dict(posterior={"location": draws.reshape(2, 2000)}), 0)
    assert two["max_rhat"] == pytest.approx(1.0, abs=0.01) and two["converged"] is True
