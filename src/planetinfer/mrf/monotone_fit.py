"""Fitting the "monotone" relation (mrf/monotone.py) with NUTS; its posterior as NetCDF.

Convergence as for the paper's model (mrf/fit.py): rank-normalised split R-hat <= 1.01, bulk
and tail ESS >= 1000 for every parameter, no divergences.
"""

from __future__ import annotations

import json
import time

import numpy as np

from planetinfer.mrf import monotone as M

RHAT_MAX = 1.01
ESS_MIN = 1000.0


def fit(sample, chains: int = 4, warmup: int = 1000, samples: int = 2000, seed: int = 0,
        progress: bool = False, command: str = ""):  # fmt: skip
    """NUTS fit to an MRFSample; returns ArviZ InferenceData (posterior of every site, the
    data as constant_data, attrs: mrf_model, command, fit_seconds, diagnostics)."""
    import arviz as az
    import jax
    import jax.numpy as jnp
    from numpyro.infer import MCMC, NUTS

    import planetinfer._jaxconfig  # noqa: F401  (float64)

    data = {k: jnp.asarray(v) for k, v in M.data_in_dex(sample).items()}
    method = "parallel" if jax.local_device_count() >= chains else "vectorized"
    mcmc = MCMC(NUTS(M.model, target_accept_prob=0.9), num_warmup=warmup, num_samples=samples,
                num_chains=chains, chain_method=method, progress_bar=progress)  # fmt: skip
    start = time.perf_counter()
    mcmc.run(jax.random.PRNGKey(seed), **data)
    seconds = time.perf_counter() - start
    draws = {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()}
    divergences = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    idata = az.from_dict(posterior=draws, constant_data={
        "radius": np.asarray(sample.radius), "flux": np.asarray(sample.flux)})  # fmt: skip
    report = diagnostics(idata, divergences)
    idata.posterior.attrs.update({"mrf_model": "monotone", "command": command,
                                  "fit_seconds": seconds, "chain_method": method,
                                  "diagnostics": json.dumps(report), "seed": seed,
                                  "n_planets": len(sample)})  # fmt: skip
    return idata


def diagnostics(idata, divergences: int) -> dict:
    """Worst R-hat and bulk/tail ESS over every parameter, divergences, and the verdict."""
    import arviz as az

    sites = [s for s in idata.posterior.data_vars if s != "slopes"]
    chains = idata.posterior.sizes["chain"]
    bulk = az.ess(idata, var_names=sites, method="bulk")
    tail = az.ess(idata, var_names=sites, method="tail")
    worst = {"max_rhat": None, "min_ess_bulk": min(float(bulk[s].min()) for s in sites),
             "min_ess_tail": min(float(tail[s].min()) for s in sites),
             "divergences": divergences}  # fmt: skip
    if chains < 2:  # split R-hat compares chains: with one it is undefined, not computed
        worst["rhat_note"] = "R-hat needs at least 2 chains; convergence is not verified"
    else:
        rhat = az.rhat(idata, var_names=sites)
        worst["max_rhat"] = max(float(rhat[s].max()) for s in sites)
    worst["converged"] = bool(chains >= 2 and worst["max_rhat"] <= RHAT_MAX
                              and worst["min_ess_bulk"] >= ESS_MIN
                              and worst["min_ess_tail"] >= ESS_MIN and divergences == 0)  # fmt: skip
    return worst


def write_shipped(idata, sample, folder, n_draws: int = 1000):
    """Thin to ~n_draws draws and write <folder>/mrf_monotone.nc and its JSON header (command,
    seed, data snapshot, selection, diagnostics, fitted domain, sha256); returns the header path.
    """
    import os
    from dataclasses import asdict
    from pathlib import Path

    from planetinfer.mrf.shipped import SHIPPED_FILES, _sha256, fitted_domain

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    post = idata.posterior
    step = max(1, post.sizes["chain"] * post.sizes["draw"] // n_draws)
    thinned = idata.sel(draw=slice(None, None, step))
    stem = SHIPPED_FILES["monotone"]
    nc_path = folder / f"{stem}.nc"
    temporary = nc_path.with_name(nc_path.name + ".tmp")
    thinned.to_netcdf(str(temporary), engine="h5netcdf")
    os.replace(temporary, nc_path)
    attrs = post.attrs
    header = {
        "description": "Posterior of planetinfer's monotone mass-radius-flux relation "
        "(mrf/monotone.py), thinned; fitted by planetinfer",
        "model": "monotone",
        "command": attrs.get("command", ""),
        "seed": attrs.get("seed"),
        "settings": {"chains": int(post.sizes["chain"]), "chain_method": attrs.get("chain_method")},
        "selection": asdict(sample.options),
        "data_snapshot": sample.snapshot,
        "n_planets": len(sample),
        "fit_seconds": attrs.get("fit_seconds"),
        "diagnostics": json.loads(attrs.get("diagnostics", "{}")),
        "domain": fitted_domain(idata),
        "draws_shipped": int(thinned.posterior.sizes["chain"] * thinned.posterior.sizes["draw"]),
        "data_licence": "NASA Exoplanet Archive (free to use, acknowledge; doi:10.26133/NEA13)",
        "sha256": _sha256(nc_path),
    }
    header_path = folder / f"{stem}.json"
    header_path.write_text(json.dumps(header, indent=1))
    return header_path
