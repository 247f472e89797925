"""Output representations of interior structure: ours (absent-layer aware) and the published ones.

Layers are always ordered core, mantle, water, envelope (docs/conventions.md). A planet's
structure is its four mass fractions m (sum 1) and four radius fractions d = thickness / R (sum 1).

**Ours: presence pattern x conditional log-ratios** ("patterns"). Core and mantle are always
present; water and envelope may be exactly absent, so each planet has one of four presence
patterns (PATTERNS, index c):

    c = 0 "all"          core, mantle, water, envelope present
    c = 1 "no_water"     core, mantle, envelope
    c = 2 "no_envelope"  core, mantle, water
    c = 3 "neither"      core, mantle

Given c, with S_c the present layers and core as the reference, the continuous target is the
additive log-ratio (Aitchison 1986) of the present layers' mass fractions followed by that of their
radius fractions:

    z = [ln(m_i / m_core) for i in S_c \\ core] ++ [ln(d_i / d_core) for i in S_c \\ core],

of dimension D_c = 2 (|S_c| - 1) = 6, 4, 4, 2 ("core" envelope coordinate, networks saved
before the envelope field existed). **Envelope against the condensed planet** ("condensed", the default now): when
the envelope is present its coordinate is replaced by its logit against the condensed layers,

    u_env = ln(f_env / (f_core + f_mantle + f_water)) = z_env - ln(1 + sum_{i != env} e^{z_i}),

the amalgamation of the condensed layers being a standard compositional operation (Aitchison 1986,
Sect. 5.2); the other coordinates are unchanged. The map z -> u is a shear with unit Jacobian
determinant (du_env/dz_env = 1, triangular), so densities and NLLs are the same number in both
coordinates. Why: for envelope planets (M, R, Teq) pins the envelope fraction f_env tightly while
the core/mantle/water split stays broad, so in core-referenced coordinates the posterior is a
curved ridge that an 8-component Gaussian mixture fits too wide across; in u it is axis-aligned
(docs/interior.md, "envelope coordinate").

The joint density (w.r.t. counting measure on c
times Lebesgue measure on z) is p(c, z | x) = pi_c(x) p_c(z | x): a categorical head times one
conditional mixture per pattern (interior/mdn.py). The inverse maps z back to fractions with
exact zeros for the absent layers, so P(no water) = pi_1 + pi_3 > 0 and P(no envelope) =
pi_2 + pi_3 > 0. Targets are stored as rows of length 1 + 6: [c, z_1..z_{D_c}, 0 padding].

**ExoMDN (Baumeister & Tosi 2023)**: the same additive log-ratio with the core as reference on all
four layers, 3 mass + 3 radius log-ratios in one 6-D vector; rows with any zero fraction are
dropped (their log-ratio is -inf), so this representation cannot express an absent layer.

**Baumeister et al. 2020**: the four radius fractions d (thicknesses / R) themselves, each modelled
by its own 1-D Gaussian mixture (Sect. 2.2 and Fig. 1 of that paper); no joint distribution.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

LAYERS = ("core", "mantle", "water", "envelope")
PATTERN_NAMES = ("all", "no_water", "no_envelope", "neither")
# presence mask per pattern, layers in LAYERS order
PATTERNS = np.array([[1, 1, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
PATTERN_DIMS = tuple(int(2 * (row.sum() - 1)) for row in PATTERNS)  # (6, 4, 4, 2)
MAX_DIM = max(PATTERN_DIMS)
N_PATTERNS = len(PATTERN_NAMES)
ENVELOPE_COORDINATES = ("core", "condensed")
# the smallest radius fraction a present layer may have in log-ratios (guards log(0) for layers
# whose thickness underflows in the solver); documented in docs/interior.md
MIN_PRESENT_FRACTION = 1e-12


def pattern_index(mass_fractions) -> np.ndarray:
    """Presence pattern c of each planet. mass_fractions: (n, 4); returns (n,) int in 0..3.

    A layer is absent iff its mass fraction is exactly 0. Core and mantle must be present.
    """
    m = np.asarray(mass_fractions, dtype=float)
    if np.any(m[:, :2] <= 0):
        raise ValueError("core and mantle mass fractions must be > 0 in every row")
    no_water = m[:, 2] == 0
    no_envelope = m[:, 3] == 0
    return (no_water.astype(int) + 2 * no_envelope.astype(int)).astype(np.int64)


def _log_ratios(fractions: np.ndarray, present: np.ndarray) -> np.ndarray:
    """ln(f_i / f_core) for the present non-core layers, in layer order. (n, 4) -> (n, k)."""
    f = np.maximum(fractions[:, present], MIN_PRESENT_FRACTION)
    return np.log(f[:, 1:]) - np.log(f[:, :1])


def check_envelope(envelope: str) -> None:
    if envelope not in ENVELOPE_COORDINATES:
        raise ValueError(f"envelope = {envelope!r} is not one of {ENVELOPE_COORDINATES}")


def _logsumexp_with_zero(y: np.ndarray) -> np.ndarray:
    """ln(1 + sum_j e^{y_j}) row-wise for y (n, j), j >= 0; overflow safe."""
    full = np.concatenate([np.zeros((y.shape[0], 1)), y], axis=1)
    top = full.max(axis=1)
    return top + np.log(np.exp(full - top[:, None]).sum(axis=1))


def core_to_condensed(y: np.ndarray, present) -> np.ndarray:
    """Core-referenced log-ratios (n, k) -> envelope-vs-condensed coordinates (n, k).

    Only the envelope column (the last, if the envelope is present) changes:
    u_env = y_env - ln(1 + sum of e^{y_i} over the other present non-core layers).
    """
    y = np.array(y, dtype=float)
    if present[3]:
        y[:, -1] = y[:, -1] - _logsumexp_with_zero(y[:, :-1])
    return y


def condensed_to_core(u: np.ndarray, present) -> np.ndarray:
    """Inverse of core_to_condensed (the other columns are the same in both coordinates)."""
    u = np.array(u, dtype=float)
    if present[3]:
        u[:, -1] = u[:, -1] + _logsumexp_with_zero(u[:, :-1])
    return u


def encode_patterns(mass_fractions, radius_fractions, envelope: str = "condensed") -> np.ndarray:
    """Our targets: (n, 4) mass and (n, 4) radius fractions -> (n, 1 + MAX_DIM) rows [c, z, 0...].

    envelope: "condensed" (envelope logit against the condensed layers) or "core" (all layers
    against the core); see the module docstring.
    """
    check_envelope(envelope)
    m = np.asarray(mass_fractions, dtype=float)
    d = np.asarray(radius_fractions, dtype=float)
    c = pattern_index(m)
    out = np.zeros((m.shape[0], 1 + MAX_DIM))
    out[:, 0] = c
    for k in range(N_PATTERNS):
        rows = c == k
        if not np.any(rows):
            continue
        halves = [_log_ratios(f[rows], PATTERNS[k]) for f in (m, d)]
        if envelope == "condensed":
            halves = [core_to_condensed(h, PATTERNS[k]) for h in halves]
        z = np.concatenate(halves, 1)
        out[np.flatnonzero(rows), 1 : 1 + z.shape[1]] = z
    return out


def _floats(values) -> np.ndarray:
    """A float array keeping float32 (network samples) and float64, other types as float64."""
    values = np.asarray(values)
    return values if values.dtype in (np.float32, np.float64) else values.astype(float)


def inverse_alr(y, present) -> np.ndarray:
    """Fractions from core-referenced log-ratios. y: (n, k) for the k present non-core layers.

    f_core = 1 / (1 + sum_j e^{y_j}), f_i = e^{y_i} f_core (Aitchison 1986); absent layers are 0.
    Computed with a max shift for overflow safety. Returns (n, 4) in y's float type.
    """
    y = _floats(y)
    full = np.concatenate([np.zeros((y.shape[0], 1), y.dtype), y], axis=1)
    shift = full.max(axis=1, keepdims=True)
    e = np.exp(full - shift)
    present_fractions = e / e.sum(axis=1, keepdims=True)
    out = np.zeros((y.shape[0], 4), y.dtype)
    out[:, np.flatnonzero(present)] = present_fractions
    return out


def inverse_condensed(u, present) -> np.ndarray:
    """Fractions from envelope-vs-condensed coordinates u (n, k): f_env = sigmoid(u_env), the
    condensed layers share 1 - f_env by their core-referenced log-ratios. Returns (n, 4)."""
    u = _floats(u)
    if not present[3]:
        return inverse_alr(u, present)
    condensed = present.copy()
    condensed[3] = False
    out = inverse_alr(u[:, :-1], condensed)
    out *= expit(-u[:, -1])[:, None]  # 1 - f_env, accurate also for f_env -> 1
    out[:, 3] = expit(u[:, -1])
    return out


def decode_patterns(targets, envelope: str = "condensed") -> tuple[np.ndarray, np.ndarray]:
    """Inverse of encode_patterns: rows [c, z...] -> (mass fractions (n, 4), radius fractions (n, 4)).

    Absent layers come back as exact zeros.
    """
    check_envelope(envelope)
    inverse = inverse_condensed if envelope == "condensed" else inverse_alr
    t = _floats(targets)
    c = np.rint(t[:, 0]).astype(int)
    m = np.zeros((t.shape[0], 4), t.dtype)
    d = np.zeros((t.shape[0], 4), t.dtype)
    for k in range(N_PATTERNS):
        rows = np.flatnonzero(c == k)
        if rows.size == 0:
            continue
        half = PATTERN_DIMS[k] // 2
        m[rows] = inverse(t[rows, 1 : 1 + half], PATTERNS[k])
        d[rows] = inverse(t[rows, 1 + half : 1 + 2 * half], PATTERNS[k])
    return m, d


def encode_exomdn(mass_fractions, radius_fractions) -> tuple[np.ndarray, np.ndarray]:
    """ExoMDN targets: 6 core-referenced log-ratios [log_m_{mantle,water,envelope}_core,
    log_d_{...}_core]; returns (targets (n, 6), keep (n,) bool). Rows with any zero fraction get
    keep = False (ExoMDN drops them; their log-ratios would be -inf)."""
    m = np.asarray(mass_fractions, dtype=float)
    d = np.asarray(radius_fractions, dtype=float)
    keep = np.all(m > 0, axis=1) & np.all(d > 0, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.concatenate([np.log(m[:, 1:] / m[:, :1]), np.log(d[:, 1:] / d[:, :1])], axis=1)
    z[~keep] = 0.0
    return z, keep


def decode_exomdn(targets) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of encode_exomdn: (n, 6) -> (mass fractions (n, 4), radius fractions (n, 4))."""
    t = _floats(targets)
    everything = np.ones(4, dtype=bool)
    return inverse_alr(t[:, :3], everything), inverse_alr(t[:, 3:], everything)


def encode_radius1d(mass_fractions, radius_fractions) -> np.ndarray:
    """Baumeister et al. 2020 targets: the four radius fractions themselves, (n, 4)."""
    del mass_fractions
    return np.asarray(radius_fractions, dtype=float).copy()
