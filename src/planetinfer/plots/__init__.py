"""Figures, one module per capability. Functions take `ax=None` and return `(fig, ax)`."""
