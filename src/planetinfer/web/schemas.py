"""Request bodies of the web API, with their valid ranges (violations answer 422 naming the field).

The ranges are those of the API functions (Earth units, K, S_E, M_sun, AU); sample counts are
capped so that one request cannot hold the server for long.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_SAMPLES = 20_000
MAX_DRAWS = 2_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InteriorRequest(Strict):
    mass: float = Field(gt=0, le=1e4, description="planet mass [M_E]")
    radius: float = Field(gt=0, le=1e3, description="planet radius [R_E]")
    teq: float | None = Field(None, gt=0, le=1e4, description="equilibrium temperature [K]")
    k2: float | None = Field(None, gt=0, le=1.5, description="fluid Love number k2")
    mass_err: float = Field(0.0, ge=0, le=1e4, description="1-sigma mass error [M_E]")
    radius_err: float = Field(0.0, ge=0, le=1e3, description="1-sigma radius error [R_E]")
    teq_err: float = Field(0.0, ge=0, le=1e4, description="1-sigma Teq error [K]")
    k2_err: float = Field(0.0, ge=0, le=1.5, description="1-sigma k2 error")
    samples: int = Field(10_000, ge=100, le=MAX_SAMPLES, description="posterior samples")
    draws: int = Field(1000, ge=10, le=MAX_DRAWS, description="input draws")
    seed: int = Field(0, ge=0, le=2**31 - 1)


class MassRequest(Strict):
    radius: float = Field(gt=0, le=1e3, description="planet radius [R_E]")
    flux: float = Field(gt=0, le=1e7, description="incident flux [S_E]")
    radius_err: float = Field(0.0, ge=0, le=1e3, description="1-sigma radius error [R_E]")
    flux_err: float = Field(0.0, ge=0, le=1e7, description="1-sigma flux error [S_E]")
    samples: int = Field(1000, ge=100, le=MAX_SAMPLES, description="predictive samples")
    seed: int = Field(0, ge=0, le=2**31 - 1)


class EscapeRequest(Strict):
    mass: float = Field(gt=0, le=1e4, description="planet mass [M_E]")
    radius: float = Field(gt=0, le=1e3, description="planet radius [R_E]")
    mstar: float = Field(gt=0, le=100, description="stellar mass [M_sun]")
    teq: float = Field(gt=0, le=1e4, description="equilibrium temperature [K]")
    feuv: float = Field(gt=0, le=1e9, description="EUV flux at the orbit [erg s^-1 cm^-2]")
    a_au: float | None = Field(None, gt=0, le=1e3, description="orbit [AU] (default: derived)")


class EvolveRequest(Strict):
    mass: float = Field(gt=0, le=1e4, description="initial planet mass [M_E]")
    envelope: float = Field(ge=0, le=0.99, description="initial H/He envelope mass fraction")
    mstar: float = Field(gt=0, le=100, description="stellar mass [M_sun]")
    a_au: float = Field(gt=0, le=1e3, description="orbit [AU]")
    age_max_gyr: float = Field(10.0, ge=0.02, le=20.0, description="final age [Gyr]")


class CharacteriseRequest(Strict):
    planet: str | None = Field(None, max_length=100, description="name in the loaded catalogue")
    mass: float | None = Field(None, gt=0, le=1e4, description="planet mass [M_E]")
    mass_err: float | None = Field(None, ge=0, le=1e4, description="1-sigma mass error [M_E]")
    radius: float | None = Field(None, gt=0, le=1e3, description="planet radius [R_E]")
    radius_err: float | None = Field(None, ge=0, le=1e3, description="1-sigma radius error [R_E]")
    teq: float | None = Field(None, gt=0, le=1e4, description="equilibrium temperature [K]")
    mstar: float | None = Field(None, gt=0, le=100, description="stellar mass [M_sun]")
    a_au: float | None = Field(None, gt=0, le=1e3, description="orbit [AU]")
    age_gyr: float | None = Field(None, gt=0, le=15, description="stellar age [Gyr]")
    draws: int = Field(1000, ge=50, le=MAX_DRAWS)
    samples: int = Field(10_000, ge=500, le=MAX_SAMPLES)
    tracks: int = Field(32, ge=1, le=64)
    seed: int = Field(0, ge=0, le=2**31 - 1)
