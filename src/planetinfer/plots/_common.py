"""Shared figure helpers: a non-interactive backend and the (fig, ax) convention."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are written to files; no display is assumed
import matplotlib.pyplot as plt  # noqa: E402


def figure_and_axes(ax=None, figsize=(6.0, 4.5)):
    """Return (fig, ax): the given axes and its figure, or a new figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    return fig, ax


def save(fig, path) -> None:
    """Write the figure to `path` (format from the extension) and close it."""
    fig.savefig(path, dpi=150)
    plt.close(fig)
