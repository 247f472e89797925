"""Mixture heads: a flat network output as NumPyro mixture distributions (JAX).

The layout of the blocks lives in interior/config.py. A block for a D-dimensional Gaussian mixture with K components holds, in this order,
K mixing logits (softmax weights, Eq. 5 of Baumeister et al. 2020), K*D means, and the scales:
K*D values (diagonal covariance, sigma = softplus(a) + min_scale) or K*D(D+1)/2 values (full
covariance via the Cholesky factor L, diagonal softplus(a) + min_scale, strictly lower part a),
so that Sigma = L L^T is positive definite. The density is Eq. 4 of Baumeister et al. 2020,
p(y|x) = sum_k alpha_k N(y | mu_k, Sigma_k), evaluated by numpyro.distributions.MixtureSameFamily.

Representations (interior/transforms.py) are lists of blocks:
- "patterns": 4 pattern logits, then one block per presence pattern with D = 6, 4, 4, 2.
- "exomdn": one block with D = 6 (diagonal in the published design).
- "radius1d": four blocks with D = 1 (Baumeister et al. 2020, four separate MDN layers).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpyro.distributions as dist

from planetinfer.interior.config import (  # noqa: F401  (the head layout, re-exported)
    MIN_SCALE,
    REPRESENTATIONS,
    block_dims,
    block_size,
    n_outputs,
    n_prefix,
    split_blocks,
)


def _cholesky(raw, dim: int, min_scale: float = MIN_SCALE):
    """Lower-triangular factor from (..., D(D+1)/2) raw values; diagonal >= min_scale."""
    rows, cols = jnp.tril_indices(dim)
    tril = jnp.zeros(raw.shape[:-1] + (dim, dim), raw.dtype).at[..., rows, cols].set(raw)
    diagonal = jax.nn.softplus(jnp.diagonal(tril, axis1=-2, axis2=-1)) + min_scale
    strict = jnp.tril(tril, k=-1)
    return strict + diagonal[..., None] * jnp.eye(dim, dtype=raw.dtype)


def mixture(block, dim: int, components: int, covariance: str,
            min_scale: float = MIN_SCALE) -> dist.MixtureSameFamily:  # fmt: skip
    """The Gaussian mixture of one block (..., size) with batch shape (...) and event (dim,)."""
    k = components
    batch = block.shape[:-1]
    logits = block[..., :k]
    loc = block[..., k : k + k * dim].reshape(batch + (k, dim))
    rest = block[..., k + k * dim :]
    if covariance == "diag" or dim == 1:
        scale = jax.nn.softplus(rest.reshape(batch + (k, dim))) + min_scale
        component = dist.Normal(loc, scale).to_event(1)
    else:
        tril = _cholesky(rest.reshape(batch + (k, dim * (dim + 1) // 2)), dim, min_scale)
        component = dist.MultivariateNormal(loc, scale_tril=tril)
    return dist.MixtureSameFamily(dist.Categorical(logits=logits), component)


def sample_mixture(mix: dist.MixtureSameFamily, key, n: int):
    """n draws from a mixture with batch shape (): component index first, then that component.

    Gathering the chosen component's parameters before drawing costs O(n D^2) instead of the
    O(n K D) of drawing every component (numpyro's MixtureSameFamily.sample). The component draw
    is the reparameterised one NumPyro's MultivariateNormal / Normal use, loc + L eps with
    eps ~ N(0, I), drawn in the network's dtype (float32) for speed. Returns (n, D).
    """
    key_index, key_value = jax.random.split(key)
    index = mix.mixing_distribution.sample(key_index, (n,))
    component = mix.component_distribution
    if isinstance(component, dist.MultivariateNormal):
        loc, tril = component.loc[index], component.scale_tril[index]
        eps = jax.random.normal(key_value, loc.shape, loc.dtype)
        return loc + jnp.einsum("nij,nj->ni", tril, eps)
    base = component.base_dist
    loc, scale = base.loc[index], base.scale[index]
    return loc + scale * jax.random.normal(key_value, loc.shape, loc.dtype)
