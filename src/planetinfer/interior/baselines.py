"""Baselines for the held-out likelihood table (Baumeister et al. 2020, Sect. 3.1 and Fig. 2).

- Null model: ignores the inputs and predicts the training data's statistics. In our
  representation: the pattern frequencies times one full-covariance Gaussian per pattern in
  log-ratio space; in the ExoMDN space: one 6-D Gaussian of the all-layers log-ratios; in the
  2020 space: one 1-D Gaussian per radius fraction (mean and spread, as in the paper).
- Single-Gaussian network: the MDN with one component per block (`--components 1`), the
  analogue of the paper's one-component "DNN" baseline.
- ExoMDN-style network: `--representation exomdn --components 50 --covariance diag --width 384
  --depth 3 --activation relu --batch-size 750` (Baumeister & Tosi 2023 release settings).
The two networks are trained with `planetinfer interior train` like the default model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from planetinfer.interior.transforms import N_PATTERNS, PATTERN_DIMS


@dataclass(frozen=True)
class NullModel:
    """Input-independent density fitted to training targets of one representation."""

    representation: str
    log_frequencies: np.ndarray  # (4,) patterns ("patterns" only)
    means: tuple  # per block (D_b,)
    covariances: tuple  # per block (D_b, D_b)

    def log_prob(self, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(total (n,), conditional (n,)) as mdn.log_prob defines them for the representation."""
        t = np.asarray(targets, dtype=float)
        if self.representation == "patterns":
            c = np.rint(t[:, 0]).astype(int)
            conditional = np.full(t.shape[0], np.nan)
            for k in range(N_PATTERNS):
                rows = c == k
                if rows.any():
                    d = PATTERN_DIMS[k]
                    conditional[rows] = _gauss(
                        t[rows, 1 : 1 + d], self.means[k], self.covariances[k]
                    )
            return self.log_frequencies[c] + conditional, conditional
        if self.representation == "exomdn":
            lp = _gauss(t[:, :6], self.means[0], self.covariances[0])
            return lp, lp
        per_layer = [_gauss(t[:, i : i + 1], self.means[i], self.covariances[i]) for i in range(4)]
        return np.sum(per_layer, axis=0), per_layer[0]


def _gauss(z, mean, cov):
    return stats.multivariate_normal(mean, cov, allow_singular=True).logpdf(z).reshape(-1)


def fit_null(representation: str, targets: np.ndarray) -> NullModel:
    """Fit the null model to training targets (n, T) of a representation."""
    t = np.asarray(targets, dtype=float)
    if representation == "patterns":
        c = np.rint(t[:, 0]).astype(int)
        counts = np.bincount(c, minlength=N_PATTERNS).astype(float)
        blocks = [t[c == k, 1 : 1 + PATTERN_DIMS[k]] for k in range(N_PATTERNS)]
        log_freq = np.log(np.maximum(counts, 1.0) / counts.sum())
    elif representation == "exomdn":
        blocks, log_freq = [t[:, :6]], np.zeros(1)
    else:
        blocks, log_freq = [t[:, i : i + 1] for i in range(4)], np.zeros(1)
    means = tuple(b.mean(0) if len(b) else np.zeros(b.shape[1]) for b in blocks)
    covs = tuple(np.atleast_2d(np.cov(b.T)) if len(b) > 1 else np.eye(b.shape[1]) for b in blocks)
    return NullModel(representation, log_freq, means, covs)
