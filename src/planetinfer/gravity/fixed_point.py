"""Anderson-accelerated fixed-point iteration in JAX (jit/vmap friendly, fixed memory).

Used for the theory-of-figures shape (forward) and its adjoint (implicit differentiation). The
plain ToF iteration contracts by about 0.5-0.6 per step (reference sheet Sect. 2.3); Anderson
mixing (Walker & Ni 2011, SIAM J. Numer. Anal. 49, 1715) cuts the iteration count about 2.5x.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def anderson(step_fn, x0, error_fn, tol, max_iter, memory=5, reg=1e-10):
    """Anderson-accelerated fixed-point iteration x = step_fn(x) (Walker & Ni 2011, type II).

    step_fn: x -> (g(x), aux); error_fn(aux_new, aux_old, x_new, x_old) -> scalar change; stops
    when it is <= tol or after max_iter steps. Returns (x, iterations, last change). The mixing
    uses the last `memory` iterates; an ill-conditioned history is regularised (reg).
    """
    shape = x0.shape
    g0, aux0 = step_fn(x0)
    xs = jnp.tile(x0.reshape(1, -1), (memory, 1))
    gs = jnp.tile(g0.reshape(1, -1), (memory, 1))

    def cond(state):
        i, *_, err = state
        return (err > tol) & (i < max_iter)

    def body(state):
        i, xs, gs, x, aux, _ = state
        fs = gs - xs
        gram = fs @ fs.T
        gram = gram + reg * (jnp.trace(gram) / memory + 1e-300) * jnp.eye(memory)
        weights = jnp.linalg.solve(gram, jnp.ones(memory))
        weights = weights / jnp.sum(weights)
        last = jax.nn.one_hot(jnp.mod(i - 1, memory), memory, dtype=gs.dtype)
        weights = jnp.where(jnp.all(jnp.isfinite(weights)), weights, last)  # plain step fallback
        x_new = (weights @ gs).reshape(shape)
        g_new, aux_new = step_fn(x_new)
        slot = jnp.mod(i, memory)
        xs = xs.at[slot].set(x_new.reshape(-1))
        gs = gs.at[slot].set(g_new.reshape(-1))
        err = error_fn(aux_new, aux, g_new, x_new)
        return i + 1, xs, gs, g_new, aux_new, err

    init = (jnp.asarray(1), xs, gs, g0, aux0, jnp.asarray(jnp.inf))
    i, _, _, x, _, err = jax.lax.while_loop(cond, body, init)
    return x, jnp.asarray(i, jnp.float64), err
