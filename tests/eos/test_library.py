"""Table builders (library.py): grids, physical properties, agreement with direct solves.

Tables are cached on disk (eos/cache.py); the first build in a fresh environment takes a few
seconds per temperature-dependent table.
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from planetinfer.eos import library, mantle, phase, tables
from planetinfer.eos import materials as mat
from planetinfer.eos.invert import density_from_pressure, spinodal_density
from planetinfer.eos.mixing import mix_density

evaluate = jax.jit(tables.evaluate)
THERMAL_BUILDERS = {
    "core": library.core_table,
    "mantle": library.mantle_table,
    "ice": library.ice_vii_table,
}


@functools.partial(jax.jit, static_argnames=("family",))
def _direct_phase(family, values, pressure, temperature):
    """Safeguarded Newton solve (invert.density_from_pressure, no table) of one row whose numeric
    fields are traced, so each family compiles once."""
    template = mat.Material("direct", family, 0.0, 0.0, "", False)
    row = dataclasses.replace(template, **dict(zip(library._TRACED_FIELDS, values, strict=True)))
    fn = phase.pressure_function(row)
    ref = phase.reference_density(row, temperature)
    low = spinodal_density(fn, temperature, 0.5 * ref, 1.5 * ref)
    return density_from_pressure(fn, pressure, temperature, low, 300.0 * ref)


def direct_density(rows, weights, pressure, temperature):
    """Additive-volume mixture of direct solves."""
    rhos = []
    for row in rows:
        values = tuple(float(getattr(row, f)) for f in library._TRACED_FIELDS)
        rho, found = _direct_phase(
            row.family, values, jnp.asarray(pressure), jnp.asarray(temperature)
        )
        assert bool(found)
        rhos.append(rho)
    return float(mix_density(rhos, weights))


def test_fes_mass_fraction():
    """13 mol% FeS is about 0.19 by mass (interior.md 1.1 [derived])."""
    assert library.fes_mass_fraction(0.13) == pytest.approx(0.19, abs=0.001)


@pytest.mark.parametrize("name", sorted(THERMAL_BUILDERS))
def test_thermal_tables_shape_and_sign(name):
    table = THERMAL_BUILDERS[name]()
    values = np.asarray(table.values)
    assert values.shape == (2048, 60, 2)
    assert table.t_min == 200.0 and table.t_min + 59 * table.dt == pytest.approx(12000.0)
    assert np.all(np.isfinite(values)) and np.all(values[..., 0] > 0.0)
    assert np.all(values[..., 1] >= 0.0) and np.all(values[..., 1] < 1.0)
    # density nondecreasing with pressure wherever the model holds (T <= 4000 K)
    cool = values[:, : int((4000.0 - table.t_min) / table.dt) + 1, 0]
    assert np.all(np.diff(cool, axis=0) >= -1e-9 * cool[1:])


def test_mantle_grid_has_a_node_at_23_gpa():
    table = library.mantle_table()
    log10_p = table.log10_p_min + np.arange(table.n_pressure) * table.dlog10_p
    assert np.min(np.abs(log10_p - np.log10(23e9))) < 1e-12
    assert abs(table.log10_p_min) < table.dlog10_p


@pytest.mark.parametrize(
    ("pressure", "temperature"), [(1e9, 300.0), (1e10, 1500.0), (5e10, 2000.0), (5e11, 3000.0)]
)
def test_mantle_table_matches_direct_solution(pressure, temperature):
    """Table (bilinear) vs direct solve of the pre-mixed assemblage: 2e-4 relative (the
    interpolation error of the 200 K temperature spacing)."""
    assemblage = mantle.upper_mantle() if pressure < 23e9 else mantle.lower_mantle()
    expected = direct_density(assemblage.phases, assemblage.mass_fractions, pressure, temperature)
    rho, _ = evaluate(library.mantle_table(), np.log10(pressure), temperature)
    assert float(rho) == pytest.approx(expected, rel=2e-4)


@pytest.mark.parametrize(("pressure", "temperature"), [(1.35e11, 3000.0), (3.6e11, 5000.0)])
def test_core_table_matches_direct_solution(pressure, temperature):
    w = library.fes_mass_fraction()
    rows = (mat.get("fe_liquid"), mat.get("fes_liquid"))
    expected = direct_density(rows, (1.0 - w, w), pressure, temperature)
    rho, _ = evaluate(library.core_table(), np.log10(pressure), temperature)
    assert float(rho) == pytest.approx(expected, rel=1e-5)


def test_mgd_gradient_is_gamma_p_over_ks():
    """Ice VII table gradient = gamma P / K_S with K_S = K_T (1 + alpha gamma T) (interior.md 1.2),
    evaluated at a grid node from the EoS directly."""
    table = library.ice_vii_table()
    i, j = 1400, 10  # a node: log10 P = 1400 dlog10_p, T = 2200 K
    pressure = 10.0 ** (table.log10_p_min + i * table.dlog10_p)
    temperature = table.t_min + j * table.dt
    rho, gradient = (float(v) for v in table.values[i, j])
    row = mat.get("ice_vii")
    alpha, k_t = phase.expansivity_and_bulk_modulus(row, rho, temperature)
    gamma = row.gamma0 * (row.rho0 / rho) ** row.q
    k_s = float(k_t) * (1.0 + float(alpha) * gamma * temperature)
    assert gradient == pytest.approx(gamma * pressure / k_s, rel=1e-4)


def test_h_he_tfd_table():
    """rho(P -> 0) = 211.1 kg/m^3 (interior.md 1.4, +-0.5 %); temperature-independent."""
    table = library.h_he_tfd_table()
    assert table.n_temperature == 1
    rho, gradient = evaluate(table, 0.0, 300.0)
    assert float(rho) == pytest.approx(211.1, rel=5e-3)
    assert float(gradient) == 0.0


@pytest.mark.parametrize(
    ("material", "log10_p", "expected"),
    [("fe", 11.0, 10543.0), ("mgsio3", 11.0, 5538.0), ("h2o", 10.0, 1879.5)],
)
def test_seager_tables_item1(material, log10_p, expected):
    """interior.md 4.5 item 1 through the tables (+-1 kg/m^3; these pressures are grid nodes
    to within the interpolation error)."""
    rho, _ = evaluate(library.seager_table(material), log10_p, 300.0)
    assert float(rho) == pytest.approx(expected, abs=1.0)


def test_seager_table_rejects_unknown_material():
    with pytest.raises(ValueError, match="valid"):
        library.seager_table("gold")


@pytest.mark.slow
def test_fresh_build_equals_cached_build(monkeypatch, tmp_path):
    """Building without the disk cache reproduces the cached grids exactly (slow: ~10 s CPU)."""
    cached = {name: np.asarray(builder().values) for name, builder in THERMAL_BUILDERS.items()}
    monkeypatch.setenv("PLANETINFER_CACHE_DIR", str(tmp_path))
    for name, builder in THERMAL_BUILDERS.items():
        builder.cache_clear()
        np.testing.assert_array_equal(np.asarray(builder().values), cached[name])
        builder.cache_clear()
    assert len(list(tmp_path.glob("*.npz"))) == len(THERMAL_BUILDERS)
