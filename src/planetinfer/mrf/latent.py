"""Coordinates of the latent true values for NUTS [P]: the same model, better geometry.

The latents x_i (log10 of the true mass, radius or flux of planet i) have the population prior
p(x_i | ...) of Ma & Ghosh (2021, eqs. 6-18) and the measurement layer of eq. (19). NUTS may
sample any smooth one-to-one function of them; an affine map x = shift + width * z with
width > 0 has Jacobian dx/dz = width, and `TransformedDistribution` adds log(width) to the
density of z, so the posterior of x is unchanged (only the coordinates change).

* 'centred': sample x itself (the paper's parameterisation, used by JAGS).
* 'scaled': x = x_ob + w_ob z with x_ob = log10(X_ob) and w_ob = s_X / (X_ob ln 10), the
  observed log and its first-order error in dex: z is O(1) from the first iteration.
* 'partial' (partial non-centring; Papaspiliopoulos, Roberts & Skold 2007, Stat. Sci. 22, 59):
  where the prior is a single normal N(mu, sigma) (the mass layer, eq. 13), shift and width are
  the conjugate posterior's, shift = lam mu + (1 - lam) x_ob, width = (1/w_ob^2 + 1/sigma^2)^-1/2,
  with lam = w_ob^2 / (w_ob^2 + sigma^2) computed from the current draw's mu and sigma; then z is
  close to N(0, 1) whatever the global parameters, centred where the data dominate (lam -> 0)
  and non-centred where the population dominates (lam -> 1). Mixture priors (flux, radius)
  fall back to 'scaled'.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.distributions.transforms import AffineTransform


def observed_log(value, error):
    """log10 of the observed value and its first-order error in dex, shapes (n,)."""
    value = jnp.asarray(value)
    return jnp.log10(value), jnp.asarray(error) / (value * math.log(10.0))


def latent_shift_width(prior, value, error, how: str):
    """Shift and width (shape (n,)) of x = shift + width * z for parameterisation `how`."""
    centre, width = observed_log(value, error)
    if how == "partial" and isinstance(prior, dist.Normal):
        prior_var = prior.scale**2
        lam = width**2 / (width**2 + prior_var)
        return lam * prior.loc + (1.0 - lam) * centre, width * prior.scale / jnp.sqrt(
            width**2 + prior_var
        )
    return centre, width


def sample_latent(name: str, prior, value, error, how: str = "centred"):
    """Sample latent `name` with population prior `prior`; returns x, shape (n,).

    value, error: observed values and errors in Earth units, shape (n,). With how != 'centred'
    the sampled site is `name + '_std'` (z) and `name` is recorded as a deterministic site.
    """
    if how == "centred":
        return numpyro.sample(name, prior)
    shift, width = latent_shift_width(prior, value, error, how)
    standardised = dist.TransformedDistribution(prior, AffineTransform(-shift / width, 1.0 / width))
    z = numpyro.sample(name + "_std", standardised)
    return numpyro.deterministic(name, shift + width * z)


def standardised_value(prior, x, value, error, how: str):
    """z for a given x (inverse of the map above), e.g. to start NUTS at chosen latents."""
    shift, width = latent_shift_width(prior, value, error, how)
    return (x - shift) / width
