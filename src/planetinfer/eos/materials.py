"""The one parameter table of the EoS library: one frozen `Material` row per material.

Units: rho0 [kg m^-3], molar_mass [kg mol^-1] (per formula unit), K0 [GPa], K0'' [GPa^-1],
dK/dT [GPa K^-1], alpha coefficients [K^-1, K^-2, K], c_P [J kg^-1 K^-1], theta0 [K]; GPa is
converted to Pa once, in `si_*` helpers. `confirmed` is False wherever interior.md marks the
value "unconfirmed: check against ..." (the `citation` names what to check against).

Solid solutions (Mg, Fe): `rho0` is the Mg end-member and `fe_slope` d rho0 / d x_Fe (Table A of
interior.md section 1.3); `with_iron(material, x_fe)` gives the substituted row, with molar mass
from the formula (`fe_per_formula` Fe atoms replace Mg per formula unit at x_Fe = 1).

Mantle composition (Baumeister et al. 2020, ApJ 889, 42, section 2.1.2: "molar Mg/Si ratio of
1.131", Mg# = 0.9): we take the LITERAL reading, molar Mg/Si = 1.131 with Mg counting magnesium
only; Fe then follows from Mg# (Fe/Si = 1.131 (1 - Mg#)/Mg# = 0.1257). See mantle.py and
docs/eos.md for the proportions and the other reading.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from planetinfer.constants import R_GAS

# IUPAC 2005 standard atomic weights [g mol^-1] (Wieser 2006, Pure Appl. Chem. 78, 2051); they
# reproduce the molar masses of interior.md (MgO 40.304, MgSiO3 100.389, H2O 18.015).
ATOMIC_WEIGHT = {
    "H": 1.00794,
    "He": 4.002602,
    "O": 15.9994,
    "Mg": 24.3050,
    "Si": 28.0855,
    "S": 32.065,
    "Fe": 55.845,
}

SOTIN = "Sotin et al. 2007, Icarus 191, 337 (via MAGRATHEA/PICS; interior.md Table A)"
SEAGER = "Seager et al. 2007, ApJ 669, 1279"


@dataclass(frozen=True)
class Material:
    """One row of the parameter table (fields unused by a family stay NaN / empty)."""

    name: str
    family: str  # polytrope | bm3 | bm4 | vinet | bm3_thermal | mgd | tfd
    rho0: float  # [kg m^-3] (Mg end-member for solid solutions)
    molar_mass: float  # [kg mol^-1] per formula unit
    citation: str
    confirmed: bool
    k0_gpa: float = math.nan
    k0_prime: float = math.nan
    k0_double_prime_per_gpa: float = math.nan
    polytrope_c: float = math.nan  # Seager 2007 Eq. 11, SI
    polytrope_n: float = math.nan
    alpha0: float = math.nan  # alpha = a0 + a1 T + a2 T^-2 [K^-1]
    alpha1: float = math.nan
    alpha2: float = 0.0
    dk_dt_gpa: float = math.nan  # (dK/dT)_P [GPa K^-1]
    cp: float = math.nan  # isobaric heat capacity [J kg^-1 K^-1] (bm3_thermal adiabat)
    cp_citation: str = ""
    theta0: float = math.nan  # Debye temperature [K]
    gamma0: float = math.nan
    q: float = math.nan
    n_atoms: int = 0  # atoms per formula unit
    fe_slope: float = 0.0  # d rho0 / d x_Fe [kg m^-3]
    fe_per_formula: float = 0.0  # Mg sites per formula unit that Fe substitutes
    atomic_numbers: tuple = ()
    mass_numbers: tuple = ()
    atoms_per_formula: tuple = ()

    @property
    def k0(self) -> float:
        """K0 [Pa]."""
        return self.k0_gpa * 1e9

    @property
    def k0_double_prime(self) -> float:
        """K0'' [Pa^-1]."""
        return self.k0_double_prime_per_gpa * 1e-9

    @property
    def dk_dt(self) -> float:
        """(dK/dT)_P [Pa K^-1]."""
        return self.dk_dt_gpa * 1e9


def dulong_petit(n_atoms: int, molar_mass: float) -> float:
    """High-temperature limit c = 3 n R / M [J kg^-1 K^-1] (Dulong & Petit 1819; the classical
    limit of the Debye C_V, Debye 1912). Used where interior.md gives no c_P."""
    return 3.0 * n_atoms * R_GAS / molar_mass


def formula_mass(**atoms: float) -> float:
    """Molar mass [kg mol^-1] from atom counts, e.g. formula_mass(Mg=2, Si=1, O=4)."""
    return 1e-3 * sum(ATOMIC_WEIGHT[el] * n for el, n in atoms.items())


def with_iron(material: Material, x_fe: float) -> Material:
    """Fe-substituted row: rho0 + fe_slope x_Fe, molar mass with x_Fe of the Mg sites as Fe."""
    delta_m = 1e-3 * material.fe_per_formula * x_fe * (ATOMIC_WEIGHT["Fe"] - ATOMIC_WEIGHT["Mg"])
    return dataclasses.replace(
        material,
        name=f"{material.name}_xfe{x_fe:g}",
        rho0=material.rho0 + material.fe_slope * x_fe,
        molar_mass=material.molar_mass + delta_m,
        cp=dulong_petit(material.n_atoms, material.molar_mass + delta_m)
        if material.cp_citation.startswith("Dulong")
        else material.cp,
    )


def _polytrope(name, rho0, c, n, molar_mass):
    return Material(
        name=name,
        family="polytrope",
        rho0=rho0,
        molar_mass=molar_mass,
        polytrope_c=c,
        polytrope_n=n,
        citation=f"{SEAGER}, Table 3 (interior.md Table C); unconfirmed: check against "
        "Seager et al. 2007",
        confirmed=False,
    )


_M_FO = formula_mass(Mg=2, Si=1, O=4)
_M_EN = formula_mass(Mg=1, Si=1, O=3)
_M_PER = formula_mass(Mg=1, O=1)
_M_FE = formula_mass(Fe=1)
_M_FES = formula_mass(Fe=1, S=1)
_M_H2O = formula_mass(H=2, O=1)
_DP = "Dulong-Petit limit 3nR/M (interior.md gives none)"

MATERIALS: dict[str, Material] = {
    # --- Table C: Seager 2007 modified polytropes rho = rho0 + c P^n (SI) ---
    "seager_fe": _polytrope("seager_fe", 8300.0, 0.00349, 0.528, _M_FE),
    "seager_mgsio3": _polytrope("seager_mgsio3", 4100.0, 0.00161, 0.541, _M_EN),
    "seager_mgfesio3": _polytrope("seager_mgfesio3", 4260.0, 0.00127, 0.549, math.nan),
    "seager_h2o": _polytrope("seager_h2o", 1460.0, 0.00311, 0.513, _M_H2O),
    "seager_graphite": _polytrope("seager_graphite", 2250.0, 0.00350, 0.514, 12.011e-3),
    "seager_sic": _polytrope("seager_sic", 3220.0, 0.00172, 0.537, 40.096e-3),
    # --- Table B: Seager 2007 300 K fits [tables] ---
    "fe_vinet": Material(
        "fe_vinet",
        "vinet",
        8300.0,
        _M_FE,
        f"{SEAGER}, Table 1, eps-Fe Vinet [tables]",
        True,
        k0_gpa=156.2,
        k0_prime=6.08,
    ),
    "mgsio3_bm4": Material(
        "mgsio3_bm4",
        "bm4",
        4100.0,
        _M_EN,
        f"{SEAGER}, Table 1, MgSiO3 pv BM4 [tables]",
        True,
        k0_gpa=247.0,
        k0_prime=3.97,
        k0_double_prime_per_gpa=-0.016,
    ),
    "h2o_bm3": Material(
        "h2o_bm3",
        "bm3",
        1460.0,
        _M_H2O,
        f"{SEAGER}, Table 1, ice VII BM3 [tables]",
        True,
        k0_gpa=23.7,
        k0_prime=4.15,
    ),
    "graphite_bm3": Material(
        "graphite_bm3",
        "bm3",
        2250.0,
        12.011e-3,
        f"{SEAGER}, Table 1; unconfirmed: check against Seager et al. 2007",
        False,
        k0_gpa=33.8,
        k0_prime=8.9,
    ),
    # --- Table A: Sotin 2007 lineage (whole table unconfirmed: check against Sotin 2007) ---
    "olivine": Material(
        "olivine",
        "bm3_thermal",
        3222.0,
        _M_FO,
        f"{SOTIN}; alpha Bouhifd et al. 1996; unconfirmed: check against Sotin et al. 2007",
        False,
        k0_gpa=128.0,
        k0_prime=4.3,
        alpha0=2.832e-5,
        alpha1=0.758e-8,
        dk_dt_gpa=-0.016,
        cp=840.0,
        cp_citation="interior.md Table A (olivine c_P ~ 840)",
        n_atoms=7,
        fe_slope=1182.0,
        fe_per_formula=2.0,
    ),
    "enstatite": Material(
        "enstatite",
        "bm3_thermal",
        3215.0,
        _M_EN,
        f"{SOTIN}; dK/dT = 0 from PICS; unconfirmed: check against Sotin et al. 2007",
        False,
        k0_gpa=111.0,
        k0_prime=7.0,
        alpha0=2.86e-5,
        alpha1=0.72e-8,
        dk_dt_gpa=0.0,
        cp=dulong_petit(5, _M_EN),
        cp_citation=_DP,
        n_atoms=5,
        fe_slope=799.0,
        fe_per_formula=1.0,
    ),
    # Lower mantle: MGD parameters of Table A; the bm3_thermal alpha(T), dK/dT are DERIVED from
    # them in mantle.py (Grueneisen relation), see `lower_mantle_thermal_bm3`.
    "magnesiowustite": Material(
        "magnesiowustite",
        "mgd",
        3584.0,
        _M_PER,
        f"{SOTIN}; Fe slope ~2280 from one code only; unconfirmed: check against Sotin et al. 2007",
        False,
        k0_gpa=157.0,
        k0_prime=4.4,
        theta0=430.0,
        gamma0=1.45,
        q=3.0,
        n_atoms=2,
        cp=dulong_petit(2, _M_PER),
        cp_citation=_DP,
        fe_slope=2280.0,
        fe_per_formula=1.0,
    ),
    "bridgmanite": Material(
        "bridgmanite",
        "mgd",
        _M_EN / 24.43e-6,
        _M_EN,
        "Shim & Duffy 2000 (Am. Mineral. 85, 354) via MAGRATHEA, V0 24.43 cm3/mol; Fe slope 1070 "
        "from PICS FeSiO3 5178; unconfirmed: check against Sotin et al. 2007",
        False,
        k0_gpa=261.0,
        k0_prime=4.0,
        theta0=1000.0,
        gamma0=1.42,
        q=2.0,
        n_atoms=5,
        cp=dulong_petit(5, _M_EN),
        cp_citation=_DP,
        fe_slope=1070.0,
        fe_per_formula=1.0,
    ),
    "fe_liquid": Material(
        "fe_liquid",
        "mgd",
        8340.0,
        _M_FE,
        f"{SOTIN}; eps-Fe thermal part (Uchida et al. 2001 lineage); unconfirmed: check against "
        "Sotin et al. 2007",
        False,
        k0_gpa=135.0,
        k0_prime=6.0,
        theta0=998.0,
        gamma0=1.36,
        q=0.91,
        n_atoms=1,
    ),
    "fes_liquid": Material(
        "fes_liquid",
        "mgd",
        4900.0,
        _M_FES,
        f"{SOTIN}; PICS calls 4900 'wrong in Sotin 2007' and suggests 5900; thermal part as Fe; "
        "unconfirmed: check against Sotin et al. 2007 and Alibert et al. 2014",
        False,
        k0_gpa=135.0,
        k0_prime=6.0,
        theta0=998.0,
        gamma0=1.36,
        q=0.91,
        n_atoms=2,
    ),
    "ice_vii": Material(
        "ice_vii",
        "mgd",
        _M_H2O / 12.3e-6,
        _M_H2O,
        "Fei et al. 1993 modified by Sotin et al. 2007, V0 12.3 cm3/mol; unconfirmed: check "
        "against Sotin et al. 2007",
        False,
        k0_gpa=23.9,
        k0_prime=4.2,
        theta0=1470.0,
        gamma0=1.2,
        q=1.0,
        n_atoms=3,
    ),
    # --- TFD elements (Salpeter & Zapolsky 1967; interior.md 1.4) ---
    "hydrogen_tfd": Material(
        "hydrogen_tfd",
        "tfd",
        math.nan,
        1.00794e-3,
        "Salpeter & Zapolsky 1967, Phys. Rev. 158, 876, in the form of Seager et al. 2007; g table "
        "unconfirmed: check against Salpeter & Zapolsky 1967",
        False,
        atomic_numbers=(1.0,),
        mass_numbers=(1.00794,),
        atoms_per_formula=(1.0,),
    ),
    "helium_tfd": Material(
        "helium_tfd",
        "tfd",
        math.nan,
        4.002602e-3,
        "Salpeter & Zapolsky 1967, Phys. Rev. 158, 876, in the form of Seager et al. 2007; g table "
        "unconfirmed: check against Salpeter & Zapolsky 1967",
        False,
        atomic_numbers=(2.0,),
        mass_numbers=(4.002602,),
        atoms_per_formula=(1.0,),
    ),
}


def get(name: str) -> Material:
    """The row called `name`; KeyError lists the valid names."""
    try:
        return MATERIALS[name]
    except KeyError:
        raise KeyError(f"unknown material {name!r}; valid: {sorted(MATERIALS)}") from None


def thermal_bm3_from_mgd(material: Material, t_fit=(300.0, 4000.0)) -> Material:
    """A bm3_thermal row derived from an MGD row's quasi-harmonic parameters [derived].

    Baumeister et al. (2020, section 2.1.2) use T-dependent BM3 in the lower mantle; interior.md
    gives only MGD thermal parameters there (Table A), so alpha(T) and dK/dT are derived:
    * alpha(T) at P = 0 from the Grueneisen relation alpha K_T = gamma rho c_V (Poirier 2000,
      Introduction to the Physics of the Earth's Interior, 2nd ed., Eq. 5.13) with K_T = K0,
      rho = rho0, gamma = gamma0 and the Debye c_V(T, theta0); least-squares fit a0 + a1 T on
      t_fit (residual < 1e-6 K^-1 above 700 K; the Debye fall-off below is not representable).
    * dK/dT = 0. With a constant dK/dT < 0 (e.g. -delta_T K0 <alpha>, delta_T ~ K0', about
      -0.028 GPa/K here) this EoS form has (d ln P/dT)_rho -> 3 alpha0 + (dK/dT)/K0 < 0 at high
      compression, i.e. alpha < 0 above ~30 GPa (mw) to ~100 GPa (pv): useless for a lower mantle
      reaching 1000s of GPa. With dK/dT = 0, alpha(P, T) = alpha0(T) at every pressure, which
      OVERESTIMATES thermal expansion at depth (real alpha falls roughly as 1/K_T); the MGD
      option of mantle.lower_mantle(eos="mgd") is the thermodynamically consistent alternative.
    c_P stays the Dulong-Petit limit of the parent row.
    """
    import numpy as np

    # Debye C_V = 9nR [4 D3(x)/x^3 - x/(e^x - 1)], D3 by 64-node Gauss-Legendre (NumPy here, to
    # keep imports free of JAX compilation; debye.py is the JAX version used everywhere else)
    temps = np.linspace(t_fit[0], t_fit[1], 200)
    x = material.theta0 / temps
    nodes, weights = np.polynomial.legendre.leggauss(64)
    t = 0.5 * x[:, None] * (nodes + 1.0)
    d3 = 0.5 * x * np.sum(weights * t**3 / np.expm1(t), axis=1)
    c_v = 9.0 * material.n_atoms * R_GAS * (4.0 * d3 / x**3 - x / np.expm1(x)) / material.molar_mass
    alpha = material.gamma0 * material.rho0 * c_v / material.k0
    a1, a0 = np.polyfit(temps, alpha, 1)
    return dataclasses.replace(
        material,
        name=f"{material.name}_bm3t",
        family="bm3_thermal",
        alpha0=float(a0),
        alpha1=float(a1),
        dk_dt_gpa=0.0,
        citation=material.citation + "; alpha, dK/dT derived (materials.thermal_bm3_from_mgd)",
    )


for _name in ("bridgmanite", "magnesiowustite"):
    _row = thermal_bm3_from_mgd(MATERIALS[_name])
    MATERIALS[_row.name] = _row
