"""Atmospheric escape: analytic mass-loss formulas, interpolators of the Kubyshkina & Fossati
(2021) hydrodynamic grid with an honest off-node evaluation, and envelope evolution tracks.
See docs/escape.md."""
