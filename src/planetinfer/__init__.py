"""planetinfer: characterise planets in seconds from what telescopes and spacecraft measure."""

__version__ = "0.1.0"

__all__ = ["__version__"]
