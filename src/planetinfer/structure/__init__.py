"""Layered-planet forward model: hydrostatic structure in mass coordinates, fluid k2, moment of
inertia and radial profiles. `solve` for one planet, `solve_batch` for arrays of planets."""

from planetinfer.structure.solve import solve, solve_batch
from planetinfer.structure.spec import LAYERS, PlanetSpec
from planetinfer.structure.status import STATUS_MEANING

__all__ = ["LAYERS", "STATUS_MEANING", "PlanetSpec", "solve", "solve_batch"]
