"""Physical bounds a solved planet must respect: outside them a result is reported, not trusted.

The solver returns status 0 whenever the shooting converges to finite numbers. Three checks say
when such a result is still not a planet:

* **k2 <= 3/2.** A homogeneous incompressible fluid body has k2 = 3/2 (Love 1911); density that
  increases inward lowers it. Above 3/2 the Love-number integration has broken down (it happens
  for envelopes inflated to hundreds of Earth radii).
* **C / (M R^2) <= 2/5**, the uniform sphere's value, for the same reason.
* **Transit radius inside the sonic point.** An isothermal atmosphere at Teq is hydrostatic only
  inside the sonic point of the isothermal Parker (1958) wind, r_s = G M mu / (2 R_gas T). An
  envelope that reaches beyond it flows away hydrodynamically ("boil-off", Owen & Wu 2016), so
  the hydrostatic radius describes no stable planet. mu is the envelope's (eos/envelope.py).
"""

from __future__ import annotations

import numpy as np

from planetinfer.constants import R_EARTH, R_GAS, G

K2_MAX = 1.5  # homogeneous incompressible fluid (Love 1911)
MOMENT_OF_INERTIA_MAX = 0.4  # uniform sphere, 2/5


def sonic_radius_m(mass_kg, teq_k):
    """Sonic point of an isothermal Parker wind of H/He at Teq: G M mu / (2 R_gas T) [m]."""
    from planetinfer.eos.envelope import ideal_gas_properties

    mu, _ = ideal_gas_properties()
    return G * np.asarray(mass_kg, float) * mu / (2.0 * R_GAS * np.asarray(teq_k, float))


def problems(radius_m: float, k2: float, moment_of_inertia: float, mass_kg: float, teq_k: float,
             envelope_fraction: float, envelope_model: str) -> list[str]:  # fmt: skip
    """One sentence per bound a solved planet breaks (empty when it breaks none)."""
    found = []
    if k2 > K2_MAX:
        found.append(f"k2 = {k2:.3g} is above 3/2, the largest a hydrostatic body can have: "
                     f"the solution is numerically broken")  # fmt: skip
    if moment_of_inertia > MOMENT_OF_INERTIA_MAX:
        found.append(f"C/MR^2 = {moment_of_inertia:.3g} is above 2/5, the uniform sphere's "
                     f"value: the solution is numerically broken")  # fmt: skip
    if envelope_model == "teq" and envelope_fraction > 0:
        sonic = float(sonic_radius_m(mass_kg, teq_k))
        if radius_m > sonic:
            found.append(f"the envelope reaches {radius_m / sonic:.3g} x its sonic point "
                         f"({sonic / R_EARTH:.3g} R_E at {teq_k:.0f} K): it would escape "
                         f"hydrodynamically, so no stable planet has this radius")  # fmt: skip
    return found
