"""The interior network evaluated and sampled with NumPy: prediction without JAX.

The same MLP and mixture as interior/mdn.py (the network trained with JAX and equinox), read
from the saved weights (planetinfer.weights) and computed in float32 like the JAX model:

* MLP: h = act(W h + b) for each hidden layer, linear last layer, on the standardised features
  (log10 M, log10 R, Teq, k2; mdn.input_features);
* heads (interior/config.py layout): mixing logits, means, and Cholesky factors whose diagonal is
  softplus(a) + min_scale (heads.mixture), widened by the calibration scale mixture when the
  header has one (calibration.widen: each component twice, with weights (1 - eps) and eps and
  its factor scaled by a and b);
* sampling as mdn._sample_patterns: one uniform u per sample picks the mixture entry (pattern,
  component) by inverse CDF of pi_c alpha_ck, then z = mu + L eps with eps ~ N(0, I); z is
  de-standardised and mapped back to fractions by transforms.decode_patterns (exact zeros for
  absent layers).

Only the chosen entry's mean and Cholesky factor are built for each sample (gathered from the
flat outputs through index tables, `Entries`), so the cost per sample does not grow with the
number of components. Given the same u and eps the draws equal the JAX model's within float32
rounding (tests). Nothing is compiled: a fresh process reaches its first posterior at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from planetinfer import weights
from planetinfer.interior import config as layout
from planetinfer.interior.config import MDNConfig
from planetinfer.interior.transforms import MAX_DIM, N_PATTERNS, decode_exomdn, decode_patterns

DTYPE = np.float32
SAMPLES_PER_CHUNK = 1 << 13  # samples built at once: temporaries stay in cache (fastest of 2^12-2^17)
# the lower triangle of a MAX_DIM x MAX_DIM factor, row by row (as np.tril_indices)
TRIL_ROW, TRIL_COL = np.tril_indices(MAX_DIM)
ON_DIAGONAL = np.flatnonzero(TRIL_ROW == TRIL_COL)
# (n_tril, MAX_DIM) 0/1: sums the products L_ij eps_j of each row i
ROW_SUM = (TRIL_ROW[:, None] == np.arange(MAX_DIM)[None, :]).astype(DTYPE)


def _softplus(x):
    return np.logaddexp(x, DTYPE(0.0)).astype(DTYPE)


def _activation(name: str, x):
    """The hidden-layer activation, in place on x (a fresh float32 array)."""
    if name == "relu":
        return np.maximum(x, 0, out=x)
    if name == "tanh":
        return np.tanh(x, out=x)
    t = np.negative(x)  # silu: x / (1 + e^-x)
    np.exp(t, out=t)
    t += 1
    return np.divide(x, t, out=x)


def _log_softmax(x):
    top = x.max(axis=-1, keepdims=True)
    return x - top - np.log(np.exp(x - top).sum(axis=-1, keepdims=True))


@dataclass(frozen=True)
class Entries:
    """Where each mixture entry j (block, component, calibration part) lives in the flat output.

    block (J,): its block; logit (J,): column of its mixing logit; log_weight (J,): added to the
    logit (log(1 - eps) or log(eps) when calibrated, else 0); factor (J,): scale of its Cholesky
    factor (1, or the calibration's a or b); loc (J, MAX_DIM) and tril (J, MAX_DIM, MAX_DIM):
    columns of its mean and raw factor values, -1 where the padded entry is zero.
    """

    block: np.ndarray
    logit: np.ndarray
    log_weight: np.ndarray
    factor: np.ndarray
    loc: np.ndarray
    tril: np.ndarray


def entries(config: MDNConfig) -> Entries:
    """The index tables of a network's heads (interior/config.py layout)."""
    cov = "diag" if config.representation == "radius1d" else config.covariance
    k = config.components
    parts = [(1.0, 0.0)]
    if config.calibration is not None:
        eps, inner, outer = config.calibration
        parts = [(inner, float(np.log1p(-eps))), (outer, float(np.log(eps)))]
    rows = {name: [] for name in Entries.__dataclass_fields__}
    start = layout.n_prefix(config.representation)
    for b, dim in enumerate(layout.block_dims(config.representation)):
        n_scales = dim if cov == "diag" or dim == 1 else dim * (dim + 1) // 2
        for factor, log_weight in parts:
            for c in range(k):
                loc = np.full(MAX_DIM, -1)
                loc[:dim] = start + k + c * dim + np.arange(dim)
                square = np.full((MAX_DIM, MAX_DIM), -1)
                first = start + k + k * dim + c * n_scales
                if n_scales == dim:  # diagonal
                    square[np.arange(dim), np.arange(dim)] = first + np.arange(dim)
                else:
                    i, j = np.tril_indices(dim)
                    square[i, j] = first + np.arange(n_scales)
                tril = square[TRIL_ROW, TRIL_COL]
                for name, value in (("block", b), ("logit", start + c), ("factor", factor),
                                    ("log_weight", log_weight), ("loc", loc), ("tril", tril)):  # fmt: skip
                    rows[name].append(value)
        start += layout.block_size(dim, k, cov)
    tables = {name: np.array(v) for name, v in rows.items()}
    zero = layout.n_outputs(config.representation, k, config.covariance)  # the appended 0
    for name in ("loc", "tril"):
        tables[name] = np.where(tables[name] >= 0, tables[name], zero).astype(np.intp)
    return Entries(**tables)


@dataclass(frozen=True)
class NumpyMDN:
    """A saved interior network as NumPy arrays (see module); `config` as in its header."""

    config: MDNConfig
    layers: tuple  # ((W (out, in), b (out,)), ...) float32
    x_shift: np.ndarray  # (n_in,)
    x_scale: np.ndarray  # (n_in,)
    y_shift: np.ndarray  # (n_blocks, MAX_DIM)
    y_scale: np.ndarray  # (n_blocks, MAX_DIM)

    @classmethod
    def from_file(cls, path, config: MDNConfig) -> NumpyMDN:
        """Read an equinox weights file written by interior/store.save (checksum checked there)."""
        pairs, rest = weights.mlp_layers(weights.read_leaves(path), config.depth + 1)
        return cls(config, tuple(pairs), *(np.asarray(a, DTYPE) for a in rest[:4]))

    @cached_property
    def entries(self) -> Entries:
        return entries(self.config)

    def features(self, raw) -> np.ndarray:
        """(n, n_in) raw inputs (M [M_E], R [R_E], Teq [K], k2) -> standardised features."""
        raw = np.asarray(raw, DTYPE)
        logged = np.array([name in ("mass", "radius") for name in self.config.inputs])
        feats = np.where(logged, np.log10(np.where(logged, raw, 1.0)), raw).astype(DTYPE)
        return (feats - self.x_shift) / self.x_scale

    def outputs(self, raw) -> np.ndarray:
        """Flat head outputs (n, n_outputs) for raw inputs (n, n_in)."""
        h = self.features(np.atleast_2d(raw))
        for weight, bias in self.layers[:-1]:
            h = h @ weight.T
            h += bias
            h = _activation(self.config.activation, h)
        weight, bias = self.layers[-1]
        return h @ weight.T + bias

    def log_weights(self, flat, blocks=None) -> np.ndarray:
        """(n, J) log weight of every mixture entry: log pi_c + log alpha_ck for "patterns",
        log alpha_k for the other representations (per block when `blocks` is None)."""
        e = self.entries
        logits = flat[:, e.logit] + e.log_weight.astype(DTYPE)
        out = np.empty_like(logits)
        for b in np.unique(e.block):
            cols = e.block == b
            out[:, cols] = _log_softmax(logits[:, cols])
        if self.config.representation == "patterns":
            out += _log_softmax(flat[:, :N_PATTERNS])[:, e.block]
        return out


def _pick(log_w, uniform):
    """Inverse-CDF choice of a mixture entry per sample: entry index (n, m).

    The entry is the number of CDF values <= u (as mdn._sample_patterns). One searchsorted over
    all rows: row i's CDF and draws are shifted by 2 i in float64, which keeps every float32
    comparison exact.
    """
    w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
    cdf = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1, dtype=DTYPE)
    u = uniform * cdf[:, -1:]
    n, n_entries = cdf.shape
    offset = 2.0 * np.arange(n)[:, None]
    flat_cdf = (cdf.astype(np.float64) + offset).reshape(-1)
    position = np.searchsorted(flat_cdf, (u.astype(np.float64) + offset).reshape(-1), "right")
    chosen = position.reshape(u.shape) - n_entries * np.arange(n)[:, None]
    return np.minimum(chosen, n_entries - 1)


def _draw(model: NumpyMDN, flat, chosen, normal):
    """z = mu + L eps of the chosen entries, built from the flat outputs: (n, m, MAX_DIM).

    L's diagonal is softplus(raw) + min_scale, its strict lower part raw (heads._cholesky),
    times the entry's calibration factor.
    """
    e, width = model.entries, flat.shape[1] + 1
    padded = np.concatenate([flat, np.zeros((flat.shape[0], 1), DTYPE)], axis=1).reshape(-1)
    start = (width * np.arange(flat.shape[0]))[:, None, None]
    loc = padded[start + e.loc[chosen]]  # (n, m, MAX_DIM)
    tril = padded[start + e.tril[chosen]]  # (n, m, n_tril)
    tril[..., ON_DIAGONAL] = _softplus(tril[..., ON_DIAGONAL]) + DTYPE(model.config.min_scale)
    tril *= e.factor[chosen][..., None].astype(DTYPE)
    return loc + (tril * normal.astype(DTYPE)[..., TRIL_COL]) @ ROW_SUM


def random_draws(representation: str, n: int, n_per: int, rng: np.random.Generator):
    """The uniform and normal numbers `sample_from_draws` needs for n rows x n_per draws."""
    blocks = (4,) if representation == "radius1d" else ()
    return (rng.random((n, n_per, *blocks), dtype=DTYPE),
            rng.standard_normal((n, n_per, *blocks, MAX_DIM), dtype=DTYPE))  # fmt: skip


def sample_from_draws(model: NumpyMDN, raw, uniform, normal) -> dict:
    """Posterior draws for given random numbers (the deterministic core of `sample`).

    raw: (n, n_in) inputs; uniform: (n, m) in [0, 1); normal: (n, m, MAX_DIM) standard normal
    (for "radius1d", uniform (n, m, 4) and normal (n, m, 4, MAX_DIM), one per block).
    Returns mass_fractions (n, m, 4), radius_fractions (n, m, 4) [float32] and pattern (n, m).
    """
    raw = np.atleast_2d(raw)
    n, m = uniform.shape[:2]
    if n == 0:
        return {"mass_fractions": np.zeros((0, m, 4), DTYPE),
                "radius_fractions": np.zeros((0, m, 4), DTYPE),
                "pattern": np.zeros((0, m), np.int32)}  # fmt: skip
    step = max(1, SAMPLES_PER_CHUNK // max(m, 1))
    parts = [_sample_chunk(model, raw[i : i + step], uniform[i : i + step], normal[i : i + step])
             for i in range(0, n, step)]  # fmt: skip
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _sample_chunk(model: NumpyMDN, raw, uniform, normal) -> dict:
    rep = model.config.representation
    flat = model.outputs(raw)
    if rep == "radius1d":
        return _sample_radius1d(model, flat, uniform, normal)
    chosen = _pick(model.log_weights(flat), uniform)
    block = model.entries.block[chosen]
    z = _draw(model, flat, chosen, normal) * model.y_scale[block] + model.y_shift[block]
    n, m = uniform.shape
    if rep == "exomdn":
        mass, radius = decode_exomdn(z.reshape(n * m, MAX_DIM))
        pattern = np.zeros((n, m), np.int32)
    else:
        rows = np.concatenate([block.reshape(-1, 1), z.reshape(n * m, MAX_DIM)], axis=1)
        mass, radius = decode_patterns(rows, model.config.envelope)
        pattern = block.astype(np.int32)
    return {"mass_fractions": mass.reshape(n, m, 4).astype(DTYPE),
            "radius_fractions": radius.reshape(n, m, 4).astype(DTYPE), "pattern": pattern}  # fmt: skip


def _sample_radius1d(model: NumpyMDN, flat, uniform, normal) -> dict:
    """Baumeister et al. 2020's four independent 1-D radius-fraction mixtures."""
    n, m = uniform.shape[:2]
    log_w = model.log_weights(flat)
    columns = []
    for k in range(4):
        entries_k = np.flatnonzero(model.entries.block == k)
        chosen = entries_k[_pick(log_w[:, entries_k], uniform[..., k])]
        z = _draw(model, flat, chosen, normal[..., k, :])[..., 0]
        columns.append(z * model.y_scale[k, 0] + model.y_shift[k, 0])
    return {"mass_fractions": np.full((n, m, 4), np.nan, DTYPE),
            "radius_fractions": np.stack(columns, axis=-1).astype(DTYPE),
            "pattern": np.full((n, m), -1, np.int32)}  # fmt: skip


def sample(model: NumpyMDN, raw, n_per: int, rng: np.random.Generator) -> dict:
    """n_per posterior draws for each row of raw (n, n_in); see sample_from_draws."""
    raw = np.atleast_2d(raw)
    uniform, normal = random_draws(model.config.representation, raw.shape[0], n_per, rng)
    return sample_from_draws(model, raw, uniform, normal)


def pattern_probabilities(model: NumpyMDN, raw) -> np.ndarray:
    """(n, 4) presence-pattern probabilities pi_c(x) ("patterns" representation)."""
    return np.exp(_log_softmax(model.outputs(raw)[:, :N_PATTERNS]))
