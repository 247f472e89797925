"""Fast inference of a trained ensemble: one fused float32 forward pass over raw grid columns.

The ensemble (E members, each d -> depth x W -> 1, networks.py) is folded into one network:

* the input standardisation x_n = (x - shift) / scale goes into the first layer
  (W0' = W0 / scale, b0' = b0 - W0' shift);
* every layer runs for all E members in one batched product, on activations stored
  features-major, (E, W, n) (measured faster than rows-major on the 2-core CPU);
* the ensemble mean and the output de-standardisation y = y_n y_scale + y_shift go into one
  (E, W) output matrix (W_out' = W_out y_scale / E) and one bias;
* a target offset that is linear in the inputs (log10 of the energy-limited rate,
  networks.target_offset) is a (d,) skip connection from the inputs to the output.

The inputs are the raw columns of a query table (grid units); the log10 transforms of the
feature set are applied inside the compiled function, so a batched call is one XLA program with
no per-member or per-layer Python overhead. Rows are processed in fixed chunks (`CHUNK`) by a
`lax.map` loop inside that program, which keeps the (E, W, chunk) activations in cache; rows are
padded to a multiple of the chunk. Below `JAX_FROM` rows the same folded weights run in numpy
(no compilation, no dispatch), for single planets and evolution steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

CHUNK = 256  # rows per lax.map step: 128-256 fastest of 64-4096 on the 2-core CPU (docs)
JAX_FROM = 4096


@dataclass(frozen=True)
class FusedEnsemble:
    """Folded ensemble weights (float32), stored features-major: activations are (E, W, n).

    log_mask: (d,) bool, True where the feature is log10 of the raw column;
    w_in: (E, W, d), b_in: (E, W, 1); w_hidden: tuple of (E, W, W) (out, in);
    b_hidden: tuple of (E, W, 1); w_out: (E, W); b_out: float; activation: 'tanh' or 'silu';
    w_skip: (d,) linear skip from the inputs to the output (target offset; zeros if none).
    """

    log_mask: np.ndarray
    w_in: np.ndarray
    b_in: np.ndarray
    w_hidden: tuple
    b_hidden: tuple
    w_out: np.ndarray
    b_out: float
    activation: str
    w_skip: np.ndarray

    @classmethod
    def from_weights(
        cls, weights, x_shift, x_scale, y_shift, y_scale, log_mask, activation, offset=None
    ):
        """weights: [(W (E, out, in), b (E, out)), ...] per layer (networks.extract_weights);
        offset: None or (coef (d,), intercept), a target offset linear in the (unscaled)
        inputs (networks.linear_offset), added as a skip connection."""
        shift = np.asarray(x_shift, np.float64)
        scale = np.asarray(x_scale, np.float64)
        w0, b0 = (np.asarray(a, np.float64) for a in weights[0])
        n_members = w0.shape[0]
        w_in = w0 / scale  # (E, W, d)
        b_in = b0 - np.einsum("ewd,d->ew", w_in, shift)
        hidden = [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in weights[1:-1]]
        wl, bl = (np.asarray(a, np.float64) for a in weights[-1])  # (E, 1, W), (E, 1)
        w_out = wl[:, 0, :] * y_scale / n_members
        b_out = float(bl.mean() * y_scale + y_shift)
        w_skip = np.zeros(len(shift))
        if offset is not None:
            w_skip = np.asarray(offset[0], np.float64)
            b_out += float(offset[1])
        f32 = np.float32
        return cls(
            np.asarray(log_mask, bool),
            w_in.astype(f32),
            b_in[..., None].astype(f32),
            tuple(w.astype(f32) for w, _ in hidden),
            tuple(b[..., None].astype(f32) for _, b in hidden),
            w_out.astype(f32),
            b_out,
            activation,
            w_skip.astype(f32),
        )

    def __call__(self, columns: np.ndarray) -> np.ndarray:
        """Ensemble-mean output (n,) in output units for raw columns (d, n); float32."""
        columns = np.asarray(columns, np.float32)
        if columns.shape[1] < JAX_FROM:
            return _forward_numpy(self, columns)
        n = columns.shape[1]
        n_pad = -n % CHUNK
        if n_pad:  # padding rows of ones: finite under log10, discarded below
            columns = np.concatenate([columns, np.ones((columns.shape[0], n_pad), np.float32)], 1)
        params = (self.w_in, self.b_in, self.w_hidden, self.b_hidden, self.w_out, self.w_skip)
        out = _forward_jax()(columns, params, self.b_out, tuple(self.log_mask), self.activation)
        return np.asarray(out)[:n]


def _silu_np(x):
    return x / (1.0 + np.exp(-x))


def _inputs(columns, log_mask, xp):
    """Features (d, n): log10 of the masked columns, the others as they are."""
    return xp.stack([xp.log10(c) if log else c for c, log in zip(columns, log_mask, strict=True)])


def _forward_numpy(net: FusedEnsemble, columns: np.ndarray) -> np.ndarray:
    act = np.tanh if net.activation == "tanh" else _silu_np
    x = _inputs(columns, net.log_mask, np)
    h = act(net.w_in @ x + net.b_in)  # (E, W, n)
    for w, b in zip(net.w_hidden, net.b_hidden, strict=True):
        h = act(w @ h + b)
    return np.einsum("ewn,ew->n", h, net.w_out) + net.w_skip @ x + np.float32(net.b_out)


@cache
def _forward_jax():
    """The compiled forward pass for large batches (JAX imported only when one comes)."""
    import jax
    import jax.numpy as jnp

    def forward(columns, params, b_out, log_mask, activation):
        w_in, b_in, w_hidden, b_hidden, w_out, w_skip = params
        act = jnp.tanh if activation == "tanh" else jax.nn.silu

        def chunk(cols):  # cols (d, CHUNK); activations (E, W, CHUNK) stay in cache
            x = _inputs(cols, log_mask, jnp)
            h = act(jnp.einsum("ewd,dn->ewn", w_in, x) + b_in)
            for w, b in zip(w_hidden, b_hidden, strict=True):
                h = act(jnp.einsum("evw,ewn->evn", w, h) + b)
            return jnp.einsum("ewn,ew->n", h, w_out) + w_skip @ x + b_out

        d = columns.shape[0]
        blocks = columns.reshape(d, -1, CHUNK).transpose(1, 0, 2)
        return jax.lax.map(chunk, blocks).reshape(-1)

    return jax.jit(forward, static_argnames=("log_mask", "activation"))
