"""Mixture heads: how a flat network output is cut into NumPyro mixture distributions.

A block for a D-dimensional Gaussian mixture with K components holds, in this order,
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

from planetinfer.interior.transforms import N_PATTERNS, PATTERN_DIMS

REPRESENTATIONS = ("patterns", "exomdn", "radius1d")
# smallest component scale (Cholesky diagonal), in standardised target units; keeps every
# covariance positive definite. 1e-3 for the networks saved before MDNConfig.min_scale existed;
# new networks default to 1e-5 (docs/interior.md, "scale floor"): the radius log-ratios are
# deterministic functions of the mass fractions and M (and Teq), and with k2 or for two-layer
# planets the whole posterior is nearly a point, so a floor of 1e-3 made intervals too wide.
MIN_SCALE = 1e-3


def block_dims(representation: str) -> tuple[int, ...]:
    """Dimension D of each mixture block of a representation."""
    if representation == "patterns":
        return PATTERN_DIMS
    if representation == "exomdn":
        return (6,)
    if representation == "radius1d":
        return (1, 1, 1, 1)
    raise ValueError(f"representation = {representation!r} is not one of {REPRESENTATIONS}")


def n_prefix(representation: str) -> int:
    """Number of leading outputs before the blocks (the pattern logits for "patterns")."""
    return N_PATTERNS if representation == "patterns" else 0


def block_size(dim: int, components: int, covariance: str) -> int:
    """Number of network outputs for one mixture block."""
    scales = dim if covariance == "diag" else dim * (dim + 1) // 2
    return components * (1 + dim + scales)


def n_outputs(representation: str, components: int, covariance: str) -> int:
    """Total size of the network's output vector for a representation."""
    cov = "diag" if representation == "radius1d" else covariance
    dims = block_dims(representation)
    return n_prefix(representation) + sum(block_size(d, components, cov) for d in dims)


def split_blocks(flat, representation: str, components: int, covariance: str):
    """Cut flat outputs (..., P) into (prefix (..., n_prefix), [block (..., size_b) ...])."""
    cov = "diag" if representation == "radius1d" else covariance
    start = n_prefix(representation)
    prefix = flat[..., :start]
    blocks = []
    for d in block_dims(representation):
        size = block_size(d, components, cov)
        blocks.append(flat[..., start : start + size])
        start += size
    return prefix, blocks


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
