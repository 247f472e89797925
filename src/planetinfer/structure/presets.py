"""Model presets: which EoS table each layer uses, boundary conditions and numerics.

- `baumeister2020`: Baumeister et al. (2020, ApJ 889, 42) section 2.1: liquid Fe-FeS core (MGD),
  olivine + enstatite upper mantle and bridgmanite + magnesiowustite lower mantle (boundary at
  23 GPa), ice VII (MGD), zero-temperature TFD H/He envelope (X = 0.71); adiabat anchored at
  300 K at the top of the condensed planet; transit radius at 100 mbar.
- `seager2007`: the same four layers with the Seager et al. (2007, ApJ 669, 1279) modified
  polytropes (Fe, MgSiO3, H2O) and TFD H/He; isothermal; surface pressure 1e5 Pa as in their paper.
- envelope="teq": replaces the cold TFD envelope by the Teq-dependent envelope of
  `planetinfer.eos.library.h_he_envelope_table` (isothermal at Teq down to p_rcb, adiabatic below);
  the interior adiabat still starts at 300 K below it (docs/structure.md discusses this choice).
"""

from __future__ import annotations

from dataclasses import dataclass

from planetinfer.errors import InputError

MODELS = ("baumeister2020", "seager2007")
ENVELOPES = ("cold", "teq")


@dataclass(frozen=True)
class ModelConfig:
    """Static (hashable) settings of a structure model; tables are loaded from it separately."""

    name: str = "baumeister2020"
    envelope: str = "cold"
    surface_pressure: float = 1.0e4  # [Pa] transit radius at 100 mbar (Baumeister 2020)
    anchor_temperature: float | None = (
        300.0  # [K] at the top of the condensed planet; None: isothermal
    )
    p_rcb: float = 1.0e7  # [Pa] radiative-convective boundary of the Teq envelope (100 bar)
    steps_per_layer: int = 64
    max_iterations: int = 60  # fine-grid shooting passes
    coarse_max_iterations: int = 24  # coarse-grid Newton passes (shoot.py)
    tolerance: float = 1e-6  # relative residual |P(M) - P_surf| / P_surf of the shooting
    nested_adiabat: bool = False  # re-anchor the adiabat only once ln Pc fits it (iterate.py)

    @property
    def isothermal(self) -> bool:
        return self.anchor_temperature is None


def build_model(
    name: str = "baumeister2020",
    *,
    envelope: str = "cold",
    p_rcb: float = 1.0e7,
    steps_per_layer: int = 64,
    max_iterations: int = 60,
) -> ModelConfig:
    """Model configuration for a named preset. Raises InputError for unknown names."""
    if name not in MODELS:
        raise InputError(f"model = {name!r} is not one of {', '.join(MODELS)}")
    if envelope not in ENVELOPES:
        raise InputError(f"envelope = {envelope!r} is not one of {', '.join(ENVELOPES)}")
    if not 1.0e4 < p_rcb <= 1.0e10:
        raise InputError(f"p_rcb = {p_rcb:g} Pa is outside the valid range (1e4, 1e10] Pa")
    if not 8 <= steps_per_layer <= 4096:
        raise InputError(
            f"steps_per_layer = {steps_per_layer} is outside the valid range [8, 4096]"
        )
    if name == "seager2007":
        return ModelConfig(
            name=name,
            envelope=envelope,
            surface_pressure=1.0e5,
            anchor_temperature=None,
            p_rcb=p_rcb,
            steps_per_layer=steps_per_layer,
            max_iterations=max_iterations,
        )
    return ModelConfig(
        name=name,
        envelope=envelope,
        p_rcb=p_rcb,
        steps_per_layer=steps_per_layer,
        max_iterations=max_iterations,
    )


def load_tables(config: ModelConfig):
    """The four EoS tables (core, mantle, water, envelope) of a model, centre outwards."""
    from planetinfer.eos import library

    if config.envelope == "teq":
        envelope = library.h_he_envelope_table(p_rcb=config.p_rcb)
    else:
        envelope = library.h_he_tfd_table()
    if config.name == "seager2007":
        return (
            library.seager_table("fe"),
            library.seager_table("mgsio3"),
            library.seager_table("h2o"),
            envelope,
        )
    return (library.core_table(), library.mantle_table(), library.ice_vii_table(), envelope)
