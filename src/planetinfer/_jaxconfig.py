"""Turns on float64 in JAX. Physics modules import this first (docs/conventions.md)."""

import jax

jax.config.update("jax_enable_x64", True)
