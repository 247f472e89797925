"""Fitting the mass-radius-flux model with NUTS; diagnostics; the posterior as NetCDF (ArviZ).

The paper used JAGS Gibbs sampling, 4 chains x 400,000 iterations (Ma & Ghosh 2021, Sec. 4). With
the component labels marginalised (model.py) NUTS needs a few thousand iterations. Convergence is
judged by rank-normalised split R-hat <= 1.01 and bulk/tail ESS >= 1000 (Vehtari et al. 2021,
Bayesian Anal. 16, 667) and zero divergences [P].
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import arviz as az
import jax
import jax.numpy as jnp
import numpy as np
from numpyro.infer import MCMC, NUTS

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.devices import configure_cpu_devices
from planetinfer.mrf.data import MRFSample
from planetinfer.mrf.initial import jittered_points, unconstrained_inits
from planetinfer.mrf.model import HYPERPARAMETER_SITES, LATENT_SITES, ModelConfig, mrf_model

RHAT_MAX = 1.01  # Vehtari et al. 2021
ESS_MIN = 1000.0  # [P] acceptance threshold of issue 7
DERIVED_SITES = ("flux_mean", "radius_precision", "radius_intercept", "knots")


def request_host_devices(n: int) -> int:
    """Ask XLA for `n` CPU devices so chain_method='parallel' runs one chain per device.

    Works only before JAX starts its backend (the CLI calls it first; it overrides the
    one-device-per-core default of devices.py); returns the number of devices JAX then has.
    On a 2-core CPU, 4 single-threaded chain devices need ~40 % less CPU than the vectorised
    chains, which all wait for the longest trajectory [P, measured].
    """
    configure_cpu_devices(n)
    return jax.local_device_count()


@dataclass(frozen=True)
class FitSettings:
    """NUTS settings; `seed` makes the run reproducible.

    chain_method: 'parallel' (one chain per XLA device; falls back to 'vectorized' when JAX has
    fewer devices than chains, see request_host_devices), 'vectorized' or 'sequential'.
    """

    chains: int = 4
    warmup: int = 1000
    samples: int = 2000
    target_accept: float = 0.9
    max_tree_depth: int = 8
    seed: int = 0
    chain_method: str = "parallel"
    dense_globals: bool = True
    progress: bool = True


def _global_sites(config: ModelConfig) -> tuple[str, ...]:
    """Sample sites of the global parameters: one dense block of the mass matrix [P]."""
    from planetinfer.mrf.initial import initial_point

    dummy = {
        k: np.ones(3) for k in ("mass", "mass_err", "radius", "radius_err", "flux", "flux_err")
    }
    names = initial_point(dummy, config)
    return tuple(k for k in names if k not in LATENT_SITES)


def data_arrays(sample: MRFSample) -> dict:
    """The model's data dict: jnp arrays of shape (n,) in Earth units."""
    keys = ("mass", "mass_err", "radius", "radius_err", "flux", "flux_err")
    return {key: jnp.asarray(getattr(sample, key), dtype=jnp.float64) for key in keys}


def _global_names(idata: az.InferenceData) -> list[str]:
    names = dict.fromkeys([*HYPERPARAMETER_SITES, *DERIVED_SITES])
    return [n for n in names if n in idata.posterior and idata.posterior[n].size > 0]


def diagnostics(idata: az.InferenceData) -> dict:
    """Split R-hat (rank-normalised), bulk and tail ESS, divergences: worst values per group."""
    post = idata.posterior
    chains, draws = post.sizes["chain"], post.sizes["draw"]
    groups = {"global": _global_names(idata), "latent": [n for n in LATENT_SITES if n in post]}
    out = {"chains": int(chains), "draws_per_chain": int(draws)}
    for label, names in groups.items():
        if not names:
            continue
        subset = post[names]
        bulk = az.ess(subset, method="bulk")
        tail = az.ess(subset, method="tail")
        out[label] = {
            "max_rhat": None,
            "min_ess_bulk": float(min(float(bulk[n].min()) for n in names)),
            "min_ess_tail": float(min(float(tail[n].min()) for n in names)),
            "worst_rhat_parameter": None,
            "worst_ess_parameter": min(names, key=lambda n: float(bulk[n].min())),
        }
        if chains >= 2:  # split R-hat compares chains: with one it is undefined, not computed
            rhat = az.rhat(subset, method="rank")
            out[label]["max_rhat"] = float(max(float(rhat[n].max()) for n in names))
            out[label]["worst_rhat_parameter"] = max(names, key=lambda n: float(rhat[n].max()))
    if chains < 2:
        out["rhat_note"] = "R-hat needs at least 2 chains; convergence is not verified"
    diverging = idata.sample_stats["diverging"].values if "sample_stats" in idata.groups() else 0
    out["divergences"] = int(np.sum(diverging))
    checks = [out[g] for g in ("global", "latent") if g in out]
    rhat_known = chains >= 2
    out["converged"] = bool(
        rhat_known
        and out["divergences"] == 0
        and all(c["max_rhat"] <= RHAT_MAX for c in checks)
        and all(min(c["min_ess_bulk"], c["min_ess_tail"]) >= ESS_MIN for c in checks)
    )
    out["paper_criterion_rhat_below_1.1"] = bool(
        rhat_known and all(c["max_rhat"] < 1.1 for c in checks)
    )
    return out


def fit_posterior(
    sample: MRFSample,
    config: ModelConfig = ModelConfig(),
    settings: FitSettings = FitSettings(),
    command: str = "",
) -> az.InferenceData:
    """Run NUTS on the selected sample; returns InferenceData with metadata and diagnostics.

    posterior: hyperparameters (chain, draw, ...) and latents log_flux/log_radius/log_mass
    (chain, draw, planet). constant_data: the observed sample. attrs: JSON strings of the model
    configuration, selection options, data snapshot, settings, timing and diagnostics.
    """
    data = data_arrays(sample)
    kernel = NUTS(
        mrf_model,
        target_accept_prob=settings.target_accept,
        max_tree_depth=settings.max_tree_depth,
        dense_mass=[_global_sites(config)] if settings.dense_globals else False,
    )
    method = settings.chain_method
    if method == "parallel" and jax.local_device_count() < settings.chains:
        method = "vectorized"  # not enough devices: numpyro would run the chains one by one
    mcmc = MCMC(
        kernel,
        num_warmup=settings.warmup,
        num_samples=settings.samples,
        num_chains=settings.chains,
        chain_method=method,
        progress_bar=settings.progress,
    )
    points = jittered_points(data, config, settings.chains, settings.seed)
    init = unconstrained_inits(data, config, points)
    if settings.chains == 1:
        init = {k: v[0] for k, v in init.items()}
    start, cpu_start = time.perf_counter(), time.process_time()
    mcmc.run(
        jax.random.PRNGKey(settings.seed),
        data,
        config,
        init_params=init,
        extra_fields=("diverging", "num_steps", "accept_prob"),
    )
    jax.block_until_ready(mcmc.get_samples())
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    idata = _to_inference_data(mcmc, sample)
    _attach_sample(idata, sample)
    diag = diagnostics(idata)
    total_draws = settings.chains * settings.samples
    ess = min(diag["global"]["min_ess_bulk"], diag["global"]["min_ess_tail"])
    attrs = {
        "model_config": config.to_dict(),
        "selection": asdict(sample.options),
        "snapshot": sample.snapshot,
        "settings": {**asdict(settings), "chain_method_used": method},
        "cpu_seconds": cpu_seconds,
        "load_average": list(os.getloadavg()),
        "command": command,
        "n_planets": len(sample),
        "fit_seconds": seconds,
        "draws": total_draws,
        "min_ess_per_second_global": ess / seconds,
        "diagnostics": diag,
        "selection_report": list(sample.report),
    }
    idata.posterior.attrs.update({k: json.dumps(v) for k, v in attrs.items()})
    return idata


def _to_inference_data(mcmc: MCMC, sample: MRFSample) -> az.InferenceData:
    """Posterior draws (chain, draw, ...) and sampler statistics as ArviZ InferenceData."""
    draws = {
        k: np.asarray(v)
        for k, v in mcmc.get_samples(group_by_chain=True).items()
        if not k.endswith("_std")  # sampler coordinates of the latents (latent.py)
    }
    extra = mcmc.get_extra_fields(group_by_chain=True)
    stats = {"diverging": np.asarray(extra["diverging"])}
    for key in ("num_steps", "accept_prob"):
        if key in extra:
            stats[key] = np.asarray(extra[key])
    return az.from_dict(
        posterior=draws,
        sample_stats=stats,
        coords={"planet": list(sample.names)},
        dims={n: ["planet"] for n in LATENT_SITES},
    )


def _attach_sample(idata: az.InferenceData, sample: MRFSample) -> None:
    """Store the observed sample as constant_data so checks can run from the file alone."""
    import xarray as xr

    frame = sample.to_frame().set_index("pl_name")
    frame.index.name = "planet"
    constant = xr.Dataset.from_dataframe(frame)
    idata.add_groups({"constant_data": constant})


def metadata(idata: az.InferenceData) -> dict:
    """The JSON metadata stored by fit_posterior, decoded."""
    out = {}
    for key, value in idata.posterior.attrs.items():
        try:
            out[key] = json.loads(value)
        except (TypeError, json.JSONDecodeError):
            out[key] = value
    return out


def save_posterior(idata: az.InferenceData, path: str | Path) -> Path:
    """Write NetCDF (h5netcdf engine) via a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    idata.to_netcdf(str(temporary), engine="h5netcdf")
    os.replace(temporary, path)
    return path


def load_posterior(path: str | Path) -> az.InferenceData:
    """Read a posterior written by save_posterior (loaded into memory)."""
    from planetinfer.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"posterior = {path} does not exist")
    idata = az.from_netcdf(str(path), engine="h5netcdf")
    if "posterior" in idata.groups() and idata.posterior.attrs.get("mrf_model") == "monotone":
        raise InputError(f"posterior = {path} is a fit of the monotone relation; this command "
                         "checks fits of the paper's model (mrf fit --model ma2021)")  # fmt: skip
    if "posterior" not in idata.groups() or "mass_constant" not in idata.posterior:
        raise InputError(f"posterior = {path} is not an mrf posterior (no mass_constant)")
    return idata.load() if hasattr(idata, "load") else idata


def thin_globals(idata: az.InferenceData, n_draws: int, seed: int = 0) -> az.InferenceData:
    """Keep only global parameters, ~n_draws draws in total (evenly thinned), for shipping."""
    post = idata.posterior[_global_names(idata)]
    total = post.sizes["chain"] * post.sizes["draw"]
    step = max(1, total // n_draws)
    thinned = post.isel(draw=slice(None, None, step))
    thinned.attrs = dict(idata.posterior.attrs)
    return az.InferenceData(posterior=thinned)
