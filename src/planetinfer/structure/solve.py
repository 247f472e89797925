"""Public API of the structure solver: `solve` (one planet) and `solve_batch` (arrays).

Both validate at the edge (Earth masses in, SI inside), pad batches to a fixed size so one compiled
kernel serves every chunk, and return NumPy arrays. Failed planets are kept with status != 0.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial

import jax
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer import compiled
from planetinfer.constants import M_EARTH, R_EARTH
from planetinfer.errors import InputError, reject_quantities
from planetinfer.structure import status
from planetinfer.structure.presets import ModelConfig, build_model, load_tables
from planetinfer.structure.shoot import solve_planet
from planetinfer.structure.spec import LAYERS, validate_inputs

SCALAR_KEYS = ("radius", "central_pressure", "central_temperature", "k2", "moment_of_inertia",
               "iterations", "status")  # fmt: skip
LAYER_KEYS = ("layer_outer_radii", "radius_fractions")
EARTH_LIKE = np.array([0.325, 0.675, 0.0, 0.0])  # placeholder inputs for flagged invalid rows


@partial(jax.jit, static_argnames=("config", "with_profiles"))
def _solve_chunk(mass, fractions, teq, tables, config, with_profiles):
    return jax.vmap(lambda m, f, t: solve_planet(m, f, t, tables, config, with_profiles))(
        mass, fractions, teq
    )


def _kernel(config: ModelConfig, profiles: bool, args: tuple):
    """_solve_chunk for this configuration and these argument shapes, traced once per machine
    and kept on disk (planetinfer.compiled): a fresh process skips the ~8 s of tracing."""
    return compiled.exported(
        "structure_solve", partial(_solve_chunk, config=config, with_profiles=profiles), args,
        f"{config!r}|{profiles}", ("structure", "eos"),
    )  # fmt: skip


def _padded_size(n: int, batch_size: int) -> int:
    size = 8
    while size < min(n, batch_size):
        size *= 2
    return min(size, batch_size) if n > 8 else 8


def _valid_rows(mass_earth, fractions, teq) -> np.ndarray:
    valid = np.ones(mass_earth.shape[0], dtype=bool)
    for i in range(mass_earth.shape[0]):
        try:
            validate_inputs([mass_earth[i] * M_EARTH], fractions[i : i + 1], [teq[i]])
        except InputError:
            valid[i] = False
    return valid


FIRST_ATTEMPT_ITERATIONS = 10
# an isothermal model has no adiabat to settle: from the uniform-layer guess 99.7 % of random
# planets converge within 5 secant passes, and the rest (thick envelopes on massive planets, up
# to 7) would hold the whole lockstep batch for two more passes
FIRST_ATTEMPT_ITERATIONS_ISOTHERMAL = 5
SECOND_ATTEMPT_ITERATIONS = 25  # fine passes; the coarse stage gets its full budget from here on
RETRY_BATCH_SIZE = 512


# Chunks at least this large are split over JAX's devices (devices.py): each part compiles
# once per device, which a small batch (a single planet from the CLI) would not repay.
MIN_PLANETS_PER_DEVICE = 1024


def _devices_for(size: int) -> list:
    devices = jax.local_devices()
    return devices[: max(1, min(len(devices), size // MIN_PLANETS_PER_DEVICE))]


def _solve_chunks(mass_earth, fractions, teq, tables, config, profiles, batch_size, progress):
    """Solve in padded chunks of one compiled size; returns the list of per-chunk output dicts.

    A chunk is split into equal parts, one per device (devices.py), dispatched together (JAX
    runs them concurrently) and gathered; each part's lockstep loop also ends with its own
    slowest planet.
    """
    n = mass_earth.shape[0]
    size = _padded_size(n, batch_size)
    devices = _devices_for(size)
    size = -(-size // len(devices)) * len(devices)  # equal parts
    device_tables = [jax.device_put(tables, device) for device in devices]
    chunks = []
    for start in range(0, n, size):
        stop = min(start + size, n)
        pad = size - (stop - start)
        mass_chunk = np.pad(mass_earth[start:stop] * M_EARTH, (0, pad), constant_values=M_EARTH)
        fraction_chunk = np.concatenate([fractions[start:stop], np.tile(EARTH_LIKE, (pad, 1))])
        teq_chunk = np.pad(teq[start:stop], (0, pad), constant_values=255.0)
        parts = []
        for rows, device, part_tables in zip(
            np.array_split(np.arange(size), len(devices)), devices, device_tables, strict=True
        ):
            args = (*(jax.device_put(column[rows], device)
                      for column in (mass_chunk, fraction_chunk, teq_chunk)), part_tables)  # fmt: skip
            parts.append(_kernel(config, profiles, args)(*args))
        out = jax.tree_util.tree_map(lambda *a: np.concatenate([np.asarray(x) for x in a]), *parts)
        chunks.append(jax.tree_util.tree_map(lambda a, k=stop - start: a[:k], out))
        if progress is not None:
            progress(stop, n)
    return chunks


def _attempts(config: ModelConfig) -> list[ModelConfig]:
    """The configurations a batch is solved with, each on the planets the previous left.

    Lockstep batches run as long as their slowest planet, so a first attempt with a short
    iteration budget settles most planets, and the stragglers are solved again in small batches
    with growing budgets (on the Teq envelope a quarter of random planets need more than 10 fine
    passes, a few per cent more than 25). The last resort, for planets whose adiabat and central
    pressure chase each other (thin or hot envelopes), re-anchors the adiabat only once ln Pc
    fits the current one (nested iterations, slower but steadier; iterate.py).
    """
    first_budget = FIRST_ATTEMPT_ITERATIONS
    if config.isothermal:
        first_budget = FIRST_ATTEMPT_ITERATIONS_ISOTHERMAL
    attempts = [
        dataclasses.replace(
            config, max_iterations=min(config.max_iterations, first_budget),
            coarse_max_iterations=min(config.coarse_max_iterations, FIRST_ATTEMPT_ITERATIONS),
        ),
        dataclasses.replace(
            config, max_iterations=min(config.max_iterations, SECOND_ATTEMPT_ITERATIONS)
        ),
        config,
    ]  # fmt: skip
    if not config.isothermal and not config.nested_adiabat:
        attempts.append(dataclasses.replace(config, nested_adiabat=True))
    return [a for i, a in enumerate(attempts) if i == 0 or a != attempts[i - 1]]


def _merge(result, again, rows):
    """Replace `rows` of every array in the (nested) result dict by the retried values."""
    merged = {}
    for key, value in result.items():
        if isinstance(value, dict):
            merged[key] = _merge(value, again[key], rows)
        else:
            value = value.copy()
            value[rows] = again[key]
            merged[key] = value
    return merged


NEGLIGIBLE_FRACTION = 1e-15


def solve_batch(
    mass_earth,
    mass_fractions,
    teq=255.0,
    *,
    model: str | ModelConfig = "baumeister2020",
    envelope: str = "cold",
    p_rcb: float = 1.0e7,
    steps_per_layer: int = 64,
    batch_size: int = 10_000,
    profiles: bool = False,
    on_invalid: str = "raise",
    progress=None,
    tables=None,
) -> dict[str, np.ndarray]:
    """Solve many planets.

    mass_earth: (n,) total mass [M_E]; mass_fractions: (n, 4) core, mantle, water, envelope mass
    fractions summing to 1; teq: scalar or (n,) equilibrium temperature [K] (used by the Teq
    envelope; recorded otherwise). model: preset name or a ModelConfig.
    on_invalid: "raise" (InputError naming the field) or "flag" (status 4, NaN outputs).
    progress: optional callable(done, total) called after each chunk.
    tables: optional four EosTable (core, mantle, water, envelope) replacing the model's own, for
    custom equations of state (validation uses constant-density and polytropic tables).
    Returns a dict of NumPy arrays in SI units: radius (n,) [m], layer_outer_radii (n, 4) [m],
    radius_fractions (n, 4), mass_fractions (n, 4), central_pressure [Pa], central_temperature
    [K], k2, moment_of_inertia (C/MR^2), iterations (passes of the attempt that gave the result:
    stragglers are re-solved with larger budgets), status (n,) int; and with profiles=True
    "profile": dict of (n, 4, N+1) arrays radius, mass, pressure, temperature, density, gravity.
    """
    reject_quantities("structure.solve_batch", mass_earth=mass_earth, mass_fractions=mass_fractions,
                      teq=teq)  # fmt: skip
    mass_earth = np.atleast_1d(np.asarray(mass_earth, dtype=float))
    fractions = np.atleast_2d(np.asarray(mass_fractions, dtype=float))
    n = mass_earth.shape[0]
    if fractions.shape != (n, 4):
        raise InputError(f"mass_fractions must have shape ({n}, 4) {LAYERS}, got {fractions.shape}")
    teq = np.broadcast_to(np.asarray(teq, dtype=float), (n,)).copy()
    if on_invalid == "raise":
        validate_inputs(mass_earth * M_EARTH, fractions, teq)
        valid = np.ones(n, dtype=bool)
    elif on_invalid == "flag":
        valid = _valid_rows(mass_earth, fractions, teq)
        mass_earth = np.where(valid, mass_earth, 1.0)
        fractions = np.where(valid[:, None], fractions, EARTH_LIKE)
        teq = np.where(valid, teq, 255.0)
    else:
        raise InputError(f"on_invalid = {on_invalid!r} is not one of raise, flag")
    fractions = fractions / fractions.sum(axis=1, keepdims=True)  # exact sum 1 inside
    # a layer below 1e-15 of the mass is below the float64 resolution of the enclosed mass: it is
    # solved as absent (a 1e-300 core would otherwise send the shooting out of the tables)
    solved_fractions = np.where(fractions < NEGLIGIBLE_FRACTION, 0.0, fractions)
    solved_fractions /= solved_fractions.sum(axis=1, keepdims=True)

    config = model if isinstance(model, ModelConfig) else build_model(
        model, envelope=envelope, p_rcb=p_rcb, steps_per_layer=steps_per_layer
    )  # fmt: skip
    tables = load_tables(config) if tables is None else tuple(tables)
    first, *retries = _attempts(config)
    chunks = _solve_chunks(mass_earth, solved_fractions, teq, tables, first, profiles, batch_size,
                           progress)  # fmt: skip
    result = jax.tree_util.tree_map(lambda *parts: np.concatenate(parts), *chunks)
    for attempt in retries:
        retry = np.flatnonzero(result["status"] == status.NOT_CONVERGED)
        if not retry.size:
            break
        again = _solve_chunks(mass_earth[retry], solved_fractions[retry], teq[retry], tables, attempt,
                              profiles, min(batch_size, RETRY_BATCH_SIZE), None)  # fmt: skip
        again = jax.tree_util.tree_map(lambda *parts: np.concatenate(parts), *again)
        result = _merge(result, again, retry)
    result["mass_fractions"] = fractions
    result["status"] = np.where(valid, result["status"], status.INVALID_INPUT).astype(int)
    # failed rows keep their place with NaN outputs (an unbound envelope keeps its interior)
    kept = np.isin(result["status"], (status.OK, status.UNBOUND_ATMOSPHERE))
    for key in ("radius", "central_pressure", "central_temperature", "k2", "moment_of_inertia"):
        result[key] = np.where(kept, result[key], np.nan)
    for key in LAYER_KEYS:
        result[key] = np.where(kept[:, None], result[key], np.nan)
    return result


@dataclass(frozen=True)
class StructureResult:
    """Structure of one planet, SI units; `profile` holds the radial profiles when requested."""

    mass: float  # [kg]
    mass_fractions: tuple[float, float, float, float]
    radius: float  # [m]
    layer_outer_radii: tuple[float, float, float, float]  # [m]
    radius_fractions: tuple[float, float, float, float]  # thickness / R
    central_pressure: float  # [Pa]
    central_temperature: float  # [K]
    k2: float
    moment_of_inertia: float  # C / (M R^2)
    iterations: int
    status: int
    model: str
    profile: dict = field(default_factory=dict, repr=False)

    @property
    def radius_earth(self) -> float:
        return self.radius / R_EARTH

    @property
    def ok(self) -> bool:
        return self.status == status.OK


def solve(
    mass_earth: float,
    core: float,
    mantle: float,
    water: float = 0.0,
    envelope: float = 0.0,
    teq: float = 255.0,
    *,
    model: str = "baumeister2020",
    envelope_model: str = "cold",
    p_rcb: float = 1.0e7,
    steps_per_layer: int = 64,
    profiles: bool = False,
) -> StructureResult:
    """Structure of one planet from its mass [M_E], layer mass fractions and Teq [K].

    Example: `solve(1.0, core=0.325, mantle=0.675).radius_earth` is about 1.0.
    Raises InputError for invalid input; a failed solve returns status != 0, never raises.
    """
    out = solve_batch(
        [mass_earth], [[core, mantle, water, envelope]], teq, model=model,
        envelope=envelope_model, p_rcb=p_rcb, steps_per_layer=steps_per_layer, profiles=profiles,
    )  # fmt: skip
    profile = {}
    if profiles:
        profile = {key: value[0].reshape(-1) for key, value in out["profile"].items()}
        profile["layer"] = np.repeat(np.arange(4), out["profile"]["radius"].shape[-1])
    return StructureResult(
        mass=float(mass_earth) * M_EARTH,
        mass_fractions=tuple(float(x) for x in out["mass_fractions"][0]),
        radius=float(out["radius"][0]),
        layer_outer_radii=tuple(float(x) for x in out["layer_outer_radii"][0]),
        radius_fractions=tuple(float(x) for x in out["radius_fractions"][0]),
        central_pressure=float(out["central_pressure"][0]),
        central_temperature=float(out["central_temperature"][0]),
        k2=float(out["k2"][0]),
        moment_of_inertia=float(out["moment_of_inertia"][0]),
        iterations=int(out["iterations"][0]),
        status=int(out["status"][0]),
        model=model,
        profile=profile,
    )
