"""Equations of state: pure JAX functions rho(P, T) / P(rho, T) per family, one parameter table
(`materials.py`) and pre-tabulated rho(log10 P, T) grids (`tables.py`) for fast evaluation."""
