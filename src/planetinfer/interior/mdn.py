"""The mixture density network: an equinox MLP whose output parameterises a Gaussian mixture.

p(y | x) = sum_k alpha_k(x) N(y | mu_k(x), Sigma_k(x)) (Baumeister et al. 2020, Eqs. 4-5; Bishop
1994), with the target representation y of interior/transforms.py and the head layout of
interior/heads.py. The model stores its input normalisation (feature shift and scale) and its
output transform (representation name plus a per-dimension affine standardisation of the targets,
whose Jacobian is added back, so log_prob is a density of the unscaled log-ratios). The network
runs in float32.

Input features (Earth units at the edge): log10(M / M_E), log10(R / R_E), Teq [K], k2.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

import planetinfer._jaxconfig  # noqa: F401  (compilation cache; the network itself is float32)
from planetinfer.interior import calibration, heads
from planetinfer.interior.config import INPUTS, MDNConfig  # noqa: F401  (re-exported)
from planetinfer.interior.transforms import MAX_DIM, N_PATTERNS, PATTERNS

ACTIVATIONS = {"relu": jax.nn.relu, "silu": jax.nn.silu, "tanh": jnp.tanh}
DTYPE = jnp.float32


def with_config(model: InteriorMDN, config: MDNConfig) -> InteriorMDN:
    """The same weights and normalisation under another config (e.g. a calibration)."""
    return InteriorMDN(
        model.mlp, model.x_shift, model.x_scale, model.y_shift, model.y_scale, config
    )


class InteriorMDN(eqx.Module):
    """MLP + mixture head with stored normalisation. Call on one raw input vector (n_in,)."""

    mlp: eqx.nn.MLP
    x_shift: jax.Array  # (n_in,) feature means
    x_scale: jax.Array  # (n_in,) feature standard deviations
    y_shift: jax.Array  # (n_blocks, MAX_DIM) target means per block
    y_scale: jax.Array  # (n_blocks, MAX_DIM) target standard deviations per block
    config: MDNConfig = eqx.field(static=True)

    def __call__(self, raw):
        """Flat head outputs (n_outputs,) for one raw input vector (n_in,)."""
        h = (input_features(raw, self.config.inputs) - self.x_shift) / self.x_scale
        return self.mlp(h.astype(DTYPE))


def input_features(raw, inputs: tuple[str, ...]):
    """(..., n_in) raw inputs in Earth units -> features: log10 for mass and radius."""
    raw = jnp.asarray(raw, DTYPE)
    logged = jnp.array([name in ("mass", "radius") for name in inputs])
    return jnp.where(logged, jnp.log10(jnp.where(logged, raw, 1.0)), raw)


def init_model(config: MDNConfig, key, x_shift, x_scale, y_shift, y_scale) -> InteriorMDN:
    """A freshly initialised network (Glorot-like equinox defaults) with given normalisation."""
    out = heads.n_outputs(config.representation, config.components, config.covariance)
    mlp = eqx.nn.MLP(
        len(config.inputs), out, config.width, config.depth,
        activation=ACTIVATIONS[config.activation], key=key, dtype=DTYPE,
    )  # fmt: skip
    # shrink the last layer so that the initial mixture is close to standard normal components
    last = mlp.layers[-1]
    mlp = eqx.tree_at(lambda m: m.layers[-1].weight, mlp, last.weight * 0.1)
    as32 = lambda a: jnp.asarray(np.asarray(a, dtype=np.float32))  # noqa: E731
    return InteriorMDN(mlp, as32(x_shift), as32(x_scale), as32(y_shift), as32(y_scale), config)


def skeleton(config: MDNConfig) -> InteriorMDN:
    """A model with the right structure for tree_deserialise_leaves: shapes and dtypes only
    (eqx.filter_eval_shape), so loading runs no random initialisation and compiles nothing."""
    n_in = len(config.inputs)
    n_blocks = len(heads.block_dims(config.representation))
    shifts = (
        np.zeros(n_in),
        np.ones(n_in),
        np.zeros((n_blocks, MAX_DIM)),
        np.ones((n_blocks, MAX_DIM)),
    )
    return eqx.filter_eval_shape(
        lambda key: init_model(config, key, *shifts), jax.random.PRNGKey(0)
    )


def _block_distributions(model: InteriorMDN, flat):
    cfg = model.config
    prefix, blocks = heads.split_blocks(flat, cfg.representation, cfg.components, cfg.covariance)
    cov = "diag" if cfg.representation == "radius1d" else cfg.covariance
    dims = heads.block_dims(cfg.representation)
    mixtures = [
        heads.mixture(b, d, cfg.components, cov, cfg.min_scale)
        for b, d in zip(blocks, dims, strict=True)
    ]
    if cfg.calibration is not None:
        scales = calibration.ScaleMixture(*cfg.calibration)
        mixtures = [calibration.widen(mix, scales) for mix in mixtures]
    return prefix, mixtures, dims


def log_prob(model: InteriorMDN, raw_inputs, targets):
    """Log density of targets given inputs, batched.

    raw_inputs: (B, n_in); targets: (B, T) as made by transforms.encode_* for the representation.
    Returns (total (B,), conditional (B,)): for "patterns", total = ln pi_c + ln p_c(z) and
    conditional = ln p_c(z) (density of the log-ratios given the pattern); for "exomdn" both are
    the 6-D log-ratio density; for "radius1d" total = the sum of the four 1-D log densities
    (the 2020 loss) and conditional = that of the core radius fraction alone.
    """
    flat = jax.vmap(model)(raw_inputs)
    prefix, mixtures, dims = _block_distributions(model, flat)
    t = jnp.asarray(targets, DTYPE)
    shift, scale = model.y_shift, model.y_scale
    rep = model.config.representation
    if rep == "patterns":
        c = t[:, 0].astype(jnp.int32)
        log_pi = jax.nn.log_softmax(prefix, axis=-1)
        log_pi_c = jnp.take_along_axis(log_pi, c[:, None], axis=1)[:, 0]
        conditional = jnp.zeros_like(log_pi_c)
        for k, (mix, d) in enumerate(zip(mixtures, dims, strict=True)):
            z = (t[:, 1 : 1 + d] - shift[k, :d]) / scale[k, :d]
            lp = mix.log_prob(z) - jnp.sum(jnp.log(scale[k, :d]))
            conditional = jnp.where(c == k, lp, conditional)
        return log_pi_c + conditional, conditional
    if rep == "exomdn":
        z = (t[:, :6] - shift[0, :6]) / scale[0, :6]
        lp = mixtures[0].log_prob(z) - jnp.sum(jnp.log(scale[0, :6]))
        return lp, lp
    per_layer = [
        mix.log_prob((t[:, i : i + 1] - shift[i, :1]) / scale[i, :1]) - jnp.log(scale[i, 0])
        for i, mix in enumerate(mixtures)
    ]
    return sum(per_layer), per_layer[0]


def _softmax_fractions(y, present, envelope: str = "core"):
    """Inverse log-ratio transform in JAX: y (n, k) -> (n, 4) with zeros at absent layers.

    envelope "core": additive log-ratios against the core (softmax of [0, y]); "condensed": if
    the envelope is present, y[..., -1] is its logit against the condensed layers, which share
    1 - f_env by the softmax of [0, y[..., :-1]] (interior/transforms.py).
    """
    if envelope == "condensed" and present[3]:
        condensed = np.array(present)
        condensed[3] = False
        out = _softmax_fractions(y[..., :-1], condensed) * jax.nn.sigmoid(-y[..., -1:])
        return out.at[..., 3].set(jax.nn.sigmoid(y[..., -1]))
    full = jnp.concatenate([jnp.zeros(y.shape[:-1] + (1,), y.dtype), y], axis=-1)
    fractions = jax.nn.softmax(full, axis=-1)
    zero = jnp.zeros(y.shape[:-1], y.dtype)
    columns, j = [], 0
    for is_present in present:  # static layout: no scatter
        columns.append(fractions[..., j] if is_present else zero)
        j += int(is_present)
    return jnp.stack(columns, axis=-1)


def _padded_components(mix, dim: int):
    """(mixing log-weights (K,), loc (K, MAX_DIM), Cholesky factor (K, MAX_DIM, MAX_DIM))."""
    comp = mix.component_distribution
    if isinstance(comp, dist.MultivariateNormal):
        loc, tril = comp.loc, comp.scale_tril
    else:
        loc, tril = comp.base_dist.loc, jax.vmap(jnp.diag)(comp.base_dist.scale)
    pad = MAX_DIM - dim
    loc = jnp.pad(loc, ((0, 0), (0, pad)))
    tril = jnp.pad(tril, ((0, 0), (0, pad), (0, pad)))
    return jax.nn.log_softmax(mix.mixing_distribution.logits), loc, tril


def _sample_patterns(prefix, mixtures, dims, shift, scale, key, n: int, envelope: str):
    """Joint draw of (pattern c, component k) from pi_c alpha_ck (inverse CDF), then
    z = mu + L eps of that component (the reparameterised draw of NumPyro's MultivariateNormal),
    in float32."""
    parts = [_padded_components(mix, d) for mix, d in zip(mixtures, dims, strict=True)]
    log_pi = jax.nn.log_softmax(prefix)
    logits = jnp.concatenate([log_pi[k] + part[0] for k, part in enumerate(parts)])
    loc = jnp.concatenate([part[1] for part in parts])
    tril = jnp.concatenate([part[2] for part in parts])
    key_index, key_value = jax.random.split(key)
    # inverse-CDF draw of the (pattern, component) index: one uniform per sample
    cdf = jnp.cumsum(jax.nn.softmax(logits))
    u = jax.random.uniform(key_index, (n,), DTYPE) * cdf[-1]
    index = jnp.minimum(jnp.sum(u[:, None] >= cdf[None, :], axis=1), logits.shape[0] - 1)
    c = index // parts[0][0].shape[0]
    eps = jax.random.normal(key_value, (n, MAX_DIM), DTYPE)
    z = loc[index] + jnp.einsum("nij,nj->ni", tril[index], eps)
    z = z * scale[c] + shift[c]
    mass = jnp.zeros((n, 4), DTYPE)
    radius = jnp.zeros((n, 4), DTYPE)
    for k, d in enumerate(dims):
        m_k = _softmax_fractions(z[:, : d // 2], PATTERNS[k], envelope)
        r_k = _softmax_fractions(z[:, d // 2 : d], PATTERNS[k], envelope)
        mass = jnp.where((c == k)[:, None], m_k, mass)
        radius = jnp.where((c == k)[:, None], r_k, radius)
    return {"mass_fractions": mass, "radius_fractions": radius, "pattern": c}


def sample_one(model: InteriorMDN, raw, key, n: int):
    """n posterior draws for one planet. raw: (n_in,) raw inputs; returns a dict of
    mass_fractions (n, 4), radius_fractions (n, 4) and pattern (n,) int (-1 if not modelled).
    """
    flat = model(raw)
    prefix, mixtures, dims = _block_distributions(model, flat)
    shift, scale = model.y_shift, model.y_scale
    rep = model.config.representation
    keys = jax.random.split(key, len(mixtures) + 1)
    if rep == "patterns":
        return _sample_patterns(
            prefix, mixtures, dims, shift, scale, keys[0], n, model.config.envelope
        )
    if rep == "exomdn":
        z = heads.sample_mixture(mixtures[0], keys[1], n) * scale[0, :6] + shift[0, :6]
        everything = np.ones(4, dtype=bool)
        return {
            "mass_fractions": _softmax_fractions(z[:, :3], everything),
            "radius_fractions": _softmax_fractions(z[:, 3:], everything),
            "pattern": jnp.zeros(n, jnp.int32),
        }
    radius = jnp.concatenate(
        [
            heads.sample_mixture(mix, keys[i + 1], n) * scale[i, :1] + shift[i, :1]
            for i, mix in enumerate(mixtures)
        ],
        axis=1,
    )
    return {
        "mass_fractions": jnp.full((n, 4), jnp.nan, DTYPE),
        "radius_fractions": radius,
        "pattern": jnp.full(n, -1, jnp.int32),
    }


def pattern_probabilities(model: InteriorMDN, raw_inputs):
    """(B, 4) presence-pattern probabilities pi_c(x) of the "patterns" representation."""
    flat = jax.vmap(model)(raw_inputs)
    return jax.nn.softmax(flat[:, :N_PATTERNS], axis=-1)


@eqx.filter_jit
def sample_batch(model: InteriorMDN, x, keys, n_per: int):
    """sample_one for each row of x (n, n_in) with its own key: dict of (n, n_per, ...) arrays."""
    return jax.vmap(lambda xi, ki: sample_one(model, xi, ki, n_per))(x, keys)
