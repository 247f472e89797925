"""Physical and astronomical constants in SI units, each with its source.

CODATA 2018 (Tiesinga et al. 2021, Rev. Mod. Phys. 93, 025010) for fundamental constants;
IAU 2015 Resolution B3 (Prsa et al. 2016, AJ 152, 41) for nominal solar and planetary values.
"""

# --- fundamental (CODATA 2018) ---
G = 6.67430e-11  # Newtonian constant of gravitation [m^3 kg^-1 s^-2]
K_BOLTZMANN = 1.380649e-23  # Boltzmann constant [J K^-1] (exact)
N_AVOGADRO = 6.02214076e23  # Avogadro constant [mol^-1] (exact)
R_GAS = K_BOLTZMANN * N_AVOGADRO  # molar gas constant [J mol^-1 K^-1]
ATOMIC_MASS_UNIT = 1.66053906660e-27  # atomic mass constant m_u [kg]
M_PROTON = 1.67262192369e-27  # proton mass [kg]
SIGMA_SB = 5.670374419e-8  # Stefan-Boltzmann constant [W m^-2 K^-4]
C_LIGHT = 299792458.0  # speed of light [m s^-1] (exact)
H_PLANCK = 6.62607015e-34  # Planck constant [J s] (exact)
HBAR = H_PLANCK / (2.0 * 3.141592653589793)  # reduced Planck constant [J s]
M_ELECTRON = 9.1093837015e-31  # electron mass [kg]
BAR = 1.0e5  # [Pa]
GPA = 1.0e9  # [Pa]

# --- IAU 2015 nominal values (Resolution B3) ---
GM_EARTH = 3.986004e14  # nominal terrestrial mass parameter [m^3 s^-2]
GM_JUPITER = 1.2668653e17  # nominal jovian mass parameter [m^3 s^-2]
GM_SUN = 1.3271244e20  # nominal solar mass parameter [m^3 s^-2]
R_EARTH = 6.3781e6  # nominal terrestrial equatorial radius [m]
R_EARTH_POLAR = 6.3568e6  # nominal terrestrial polar radius [m]
R_JUPITER = 7.1492e7  # nominal jovian equatorial radius [m]
R_SUN = 6.957e8  # nominal solar radius [m]
L_SUN = 3.828e26  # nominal solar luminosity [W]
TEFF_SUN = 5772.0  # nominal solar effective temperature [K]

# Masses derived from the nominal GM and CODATA 2018 G (IAU 2015 B3 recommends this derivation).
M_EARTH = GM_EARTH / G  # [kg] = 5.9722e24
M_JUPITER = GM_JUPITER / G  # [kg]
M_SUN = GM_SUN / G  # [kg]

# Mean radius of the Earth (IUGG; Moritz 2000, J. Geodesy 74, 128), used for Earth checks.
R_EARTH_MEAN = 6.3710e6  # [m]

# --- astronomy ---
AU = 1.495978707e11  # astronomical unit [m] (IAU 2012 Resolution B2, exact)
YEAR = 365.25 * 86400.0  # Julian year [s] (IAU)
GYR = 1.0e9 * YEAR  # [s]
PARSEC = 3.0856775814913673e16  # [m] (IAU 2015 Resolution B2)
S_EARTH = L_SUN / (4.0 * 3.141592653589793 * AU**2)  # solar constant from nominal L_sun [W m^-2]
