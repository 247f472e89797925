"""Optional cross-check: the same model in JAGS (Ma & Ghosh 2021's engine); prints JSON.

Needs the `pyjags-jw` wheel (it vendors the JAGS library; no root needed); skipped with a
message when absent. The JAGS model follows the paper exactly: discrete component labels
(dcat), exact step indicators at the knots, ordered precisions of the R|F components (eq. 12)
and precision-parameterised dnorm (N(0, 5) is dnorm(0, 0.04); reference sheet Sec. 1).
Label-free quantities (knots, the mass layer, the flux layer with its ordered means) are
compared with a NumPyro posterior of the same sample; ESS per second is given for both engines.

Usage: python benchmarks/mrf_jags.py POSTERIOR.nc [--iterations 2000] [--adapt 1000]
(the catalog and selection are read from the posterior's metadata).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

JAGS_MODEL = """
model {
  piF ~ ddirch(concF)
  delta[1] ~ dnorm(0, 0.04)
  for (k in 2:KF) { delta[k] ~ dnorm(0, 0.04) T(0, ) }
  for (k in 1:KF) {
    muF[k] <- sum(delta[1:k])
    tauF[k] ~ dgamma(0.1, 0.1)
  }
  omega ~ ddirch(concR)
  for (k in 1:KR) {
    alpha[k] ~ dnorm(0, 0.04)
    beta[k] ~ dnorm(0, 0.04)
    eta[k] ~ dgamma(1, 1)
    tauR[k] <- sum(eta[1:k])
  }
  kappa1 ~ dnorm(kappa1_mean, 25)
  kappa2 ~ dnorm(kappa2_mean, 25) T(kappa1, )
  for (j in 1:3) {
    tauM[j] ~ dgamma(0.1, 0.1)
    C[j] ~ dnorm(0, 0.25)
    b[j] ~ dnorm(0, 1)
  }
  a1 ~ dnorm(0, 0.25)
  for (i in 1:n) {
    zF[i] ~ dcat(piF)
    f[i] ~ dnorm(muF[zF[i]], tauF[zF[i]])
    zR[i] ~ dcat(omega)
    r[i] ~ dnorm(alpha[zR[i]] + beta[zR[i]] * f[i], tauR[zR[i]])
    above1[i] <- step(r[i] - kappa1)
    above2[i] <- step(r[i] - kappa2)
    gam[i] <- a1 + b[1] * r[i] + (b[2] - b[1]) * max(0, r[i] - kappa1)
              + (b[3] - b[2]) * max(0, r[i] - kappa2)
    mu[i] <- C[1] * (1 - above1[i]) + C[2] * (above1[i] - above2[i]) + C[3] * above2[i]
             + gam[i] * f[i]
    tau[i] <- tauM[1] * (1 - above1[i]) + tauM[2] * (above1[i] - above2[i]) + tauM[3] * above2[i]
    m[i] ~ dnorm(mu[i], tau[i])
    Mob[i] ~ dnorm(pow(10, m[i]), 1 / (sM[i] * sM[i]))
    Rob[i] ~ dnorm(pow(10, r[i]), 1 / (sR[i] * sR[i]))
    Fob[i] ~ dnorm(pow(10, f[i]), 1 / (sF[i] * sF[i]))
  }
}
"""
MONITORED = ("kappa1", "kappa2", "C", "b", "a1", "tauM", "muF", "tauF", "piF")


def jags_fit(sample, iterations: int, adapt: int, chains: int = 4, seed: int = 0) -> dict:
    import pyjags

    data = {
        "n": len(sample),
        "KF": 2,
        "KR": 3,
        "concF": np.full(2, 5.0),
        "concR": np.full(3, 5.0),
        "kappa1_mean": math.log10(6.0),
        "kappa2_mean": math.log10(11.0),
        "Mob": sample.mass,
        "sM": sample.mass_err,
        "Rob": sample.radius,
        "sR": sample.radius_err,
        "Fob": sample.flux,
        "sF": sample.flux_err,
    }
    logs = {
        "m": np.log10(sample.mass),
        "r": np.log10(sample.radius),
        "f": np.log10(sample.flux),
    }
    init = {**logs, "kappa1": math.log10(6.0), "kappa2": math.log10(11.0)}
    inits = [
        {**init, ".RNG.name": "base::Mersenne-Twister", ".RNG.seed": seed + c}
        for c in range(chains)
    ]
    start = time.perf_counter()
    model = pyjags.Model(
        JAGS_MODEL, data=data, init=inits, chains=chains, adapt=adapt, progress_bar=False
    )
    draws = model.sample(iterations, vars=list(MONITORED))
    return {"seconds": time.perf_counter() - start, "draws": draws}


def summary(values: np.ndarray) -> dict:
    """Mean, SD, bulk ESS of draws shaped (chain, draw)."""
    import arviz as az

    return {
        "mean": float(values.mean()),
        "sd": float(values.std()),
        "ess_bulk": float(az.ess(values, method="bulk")),
    }


def main() -> None:
    from planetinfer.mrf.data import SelectionOptions, load_sample
    from planetinfer.mrf.fit import load_posterior, metadata

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("posterior")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--adapt", type=int, default=1000)
    args = parser.parse_args()
    try:
        import pyjags  # noqa: F401
    except ImportError:
        print(json.dumps({"skipped": "pyjags-jw (JAGS) is not installed"}))
        return
    idata = load_posterior(args.posterior)
    meta = metadata(idata)
    sample = load_sample(meta["snapshot"]["path"], SelectionOptions(**meta["selection"]))
    result = jags_fit(sample, args.iterations, args.adapt)
    jd = result["draws"]  # pyjags: (dim, draw, chain)
    post = idata.posterior

    def ours(name, index=None):
        x = post[name].values
        return x if index is None else x[..., index]

    def theirs(name, index=0):
        return np.moveaxis(jd[name][index], -1, 0)  # (chain, draw)

    pairs = {
        "kappa_1": (ours("knots", 0), theirs("kappa1")),
        "kappa_2": (ours("knots", 1), theirs("kappa2")),
        "a_1": (ours("mass_index_intercept"), theirs("a1")),
    }
    for j in range(3):
        pairs[f"C_{j + 1}"] = (ours("mass_constant", j), theirs("C", j))
        pairs[f"b_{j + 1}"] = (ours("mass_index_slope", j), theirs("b", j))
        pairs[f"sigma_M{j + 1}"] = (
            1 / np.sqrt(ours("mass_precision", j)),
            1 / np.sqrt(theirs("tauM", j)),
        )
    for k in range(2):
        pairs[f"muF_{k + 1}"] = (ours("flux_mean", k), theirs("muF", k))
        pairs[f"piF_{k + 1}"] = (ours("flux_weight", k), theirs("piF", k))
    table = {name: {"numpyro": summary(a), "jags": summary(b)} for name, (a, b) in pairs.items()}
    for row in table.values():
        row["difference_in_numpyro_sd"] = (row["jags"]["mean"] - row["numpyro"]["mean"]) / row[
            "numpyro"
        ]["sd"]
    jags_min_ess = min(row["jags"]["ess_bulk"] for row in table.values())
    ours_min_ess = min(row["numpyro"]["ess_bulk"] for row in table.values())
    print(
        json.dumps(
            {
                "n_planets": len(sample),
                "jags": {
                    "chains": 4,
                    "adapt": args.adapt,
                    "iterations": args.iterations,
                    "seconds": result["seconds"],
                    "min_ess_bulk_compared": jags_min_ess,
                    "min_ess_per_second": jags_min_ess / result["seconds"],
                },
                "numpyro": {
                    "seconds": meta["fit_seconds"],
                    "min_ess_bulk_compared": ours_min_ess,
                    "min_ess_per_second": ours_min_ess / meta["fit_seconds"],
                },
                "parameters": table,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
