"""Shared figure helpers: a non-interactive backend, the (fig, ax) convention, and the one
colour per layer used by every figure (structure profiles, synth diagram, interior posteriors,
the characterise report)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are written to files; no display is assumed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

LAYERS = ("core", "mantle", "water", "envelope")
# one colour per layer in every figure: iron red-brown, rock ochre, water blue, H/He grey-cyan
LAYER_COLOURS = {"core": "#8c2d04", "mantle": "#d08c2e", "water": "#2166ac", "envelope": "#7fb8c9"}
LAYER_LABELS = {"core": "core (Fe-FeS)", "mantle": "mantle (silicates)", "water": "water / ice",
                "envelope": "H/He envelope"}  # fmt: skip
M_EARTH_LABEL = "M$_\\oplus$"
R_EARTH_LABEL = "R$_\\oplus$"


def composition_label(fractions) -> str:
    """"core 32.5 %, mantle 67.5 %": the layers present, by mass."""
    return ", ".join(f"{layer} {100 * float(f):.3g} %" for layer, f in zip(LAYERS, fractions,
                                                                           strict=True) if f > 0)


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


def plain_log_ticks(axis, span_decades: float = 2.0) -> None:
    """Log ticks labelled as plain numbers (0.1, 1, 10); over less than half a decade every
    minor tick is labelled, over less than 1.5 decades the 2 and 5 ones, else none (labels never
    overlap). span_decades: the decades the axis spans."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda v, _: f"{v:g}")
    axis.set_major_formatter(plain)
    if span_decades < 0.5:
        axis.set_minor_formatter(plain)
    elif span_decades < 1.5:
        axis.set_minor_formatter(FuncFormatter(
            lambda v, _: f"{v:g}" if round(v / 10 ** np.floor(np.log10(v) + 1e-9)) in (2, 5)
            else ""))  # fmt: skip
    else:
        axis.set_minor_formatter(NullFormatter())
