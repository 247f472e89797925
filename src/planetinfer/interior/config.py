"""Architecture of an interior network and the layout of its mixture heads (no JAX).

`MDNConfig` is what a model header records; the head layout says how the network's flat output
vector is cut into mixture blocks. A block for a D-dimensional Gaussian mixture with K components
holds, in this order, K mixing logits (softmax weights, Eq. 5 of Baumeister et al. 2020), K*D
means, and the scales: K*D values (diagonal covariance) or K*D(D+1)/2 values (full covariance via
its Cholesky factor); interior/heads.py (JAX, training) and interior/numpy_mdn.py (NumPy,
prediction) read the blocks this way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from planetinfer.interior import calibration
from planetinfer.interior.transforms import N_PATTERNS, PATTERN_DIMS, check_envelope

INPUTS = ("mass", "radius", "teq", "k2")
ACTIVATION_NAMES = ("relu", "silu", "tanh")

REPRESENTATIONS = ("patterns", "exomdn", "radius1d")
# smallest component scale (Cholesky diagonal), in standardised target units; keeps every
# covariance positive definite. 1e-3 for the networks saved before MDNConfig.min_scale existed;
# new networks default to 1e-5 (docs/interior.md, "scale floor"): the radius log-ratios are
# deterministic functions of the mass fractions and M (and Teq), and with k2 or for two-layer
# planets the whole posterior is nearly a point, so a floor of 1e-3 made intervals too wide.
MIN_SCALE = 1e-3


def block_dims(representation: str) -> tuple[int, ...]:
    """Dimension D of each mixture block of a representation."""
    if representation == "patterns":
        return PATTERN_DIMS
    if representation == "exomdn":
        return (6,)
    if representation == "radius1d":
        return (1, 1, 1, 1)
    raise ValueError(f"representation = {representation!r} is not one of {REPRESENTATIONS}")


def n_prefix(representation: str) -> int:
    """Number of leading outputs before the blocks (the pattern logits for "patterns")."""
    return N_PATTERNS if representation == "patterns" else 0


def block_size(dim: int, components: int, covariance: str) -> int:
    """Number of network outputs for one mixture block."""
    scales = dim if covariance == "diag" else dim * (dim + 1) // 2
    return components * (1 + dim + scales)


def n_outputs(representation: str, components: int, covariance: str) -> int:
    """Total size of the network's output vector for a representation."""
    cov = "diag" if representation == "radius1d" else covariance
    dims = block_dims(representation)
    return n_prefix(representation) + sum(block_size(d, components, cov) for d in dims)


def split_blocks(flat, representation: str, components: int, covariance: str):
    """Cut flat outputs (..., P) into (prefix (..., n_prefix), [block (..., size_b) ...])."""
    cov = "diag" if representation == "radius1d" else covariance
    start = n_prefix(representation)
    prefix = flat[..., :start]
    blocks = []
    for d in block_dims(representation):
        size = block_size(d, components, cov)
        blocks.append(flat[..., start : start + size])
        start += size
    return prefix, blocks


@dataclass(frozen=True)
class MDNConfig:
    """Architecture. inputs: subset of INPUTS in order; representation: see heads.REPRESENTATIONS."""

    inputs: tuple[str, ...] = ("mass", "radius", "teq")
    representation: str = "patterns"
    width: int = 256
    depth: int = 3
    components: int = 8
    covariance: str = "full"
    activation: str = "silu"
    # "patterns" only: coordinate of the envelope, "condensed" (logit against the condensed
    # layers) or "core" (log-ratio against the core, networks saved before this field existed)
    envelope: str = "condensed"
    # smallest mixture-component scale in standardised target units (MIN_SCALE = 1e-3 for
    # networks saved before this field existed)
    min_scale: float = 1e-5
    # post-hoc scale-mixture recalibration (eps, a, b) fitted on the validation split, or None
    # (interior/calibration.py)
    calibration: tuple[float, float, float] | None = None

    def __post_init__(self):
        if not self.inputs or any(name not in INPUTS for name in self.inputs):
            raise ValueError(f"inputs = {self.inputs} must be a non-empty subset of {INPUTS}")
        block_dims(self.representation)
        if self.covariance not in ("full", "diag"):
            raise ValueError(f"covariance = {self.covariance!r} is not one of full, diag")
        if self.activation not in ACTIVATION_NAMES:
            raise ValueError(
                f"activation = {self.activation!r} is not one of {list(ACTIVATION_NAMES)}"
            )
        check_envelope(self.envelope)
        if not 0 < self.min_scale < 1:
            raise ValueError(f"min_scale = {self.min_scale} must be in (0, 1)")
        if self.calibration is not None:
            object.__setattr__(self, "calibration", tuple(calibration.check(self.calibration)))

    def to_json(self) -> dict:
        return {**asdict(self), "inputs": list(self.inputs)}

    @classmethod
    def from_json(cls, data: dict) -> MDNConfig:
        # headers written before the envelope field have the core-referenced coordinate
        old = {"envelope": "core", "min_scale": MIN_SCALE}
        return cls(**{**old, **data, "inputs": tuple(data["inputs"])})
