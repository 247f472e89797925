"""Sphinx configuration of the planetinfer documentation (MyST markdown + executed notebooks).

Build: `python -m planetinfer.docs` (docs/_build/html, warnings are errors).
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("MPLBACKEND", "Agg")

project = "planetinfer"
author = "the planetinfer developers"
copyright = "2026, the planetinfer developers"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.mathjax", "sphinx.ext.viewcode"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "architecture.md"]
html_theme = "furo"
html_title = "planetinfer"

myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # the capability pages start at ## inside their own title

# tutorials are text notebooks (jupytext MyST), executed at every build
nb_execution_mode = os.environ.get("PLANETINFER_DOCS_EXECUTE", "force")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_in_temp = True  # the tutorials write files: in a temporary folder, not in docs/
nb_merge_streams = True

autodoc_member_order = "bysource"
autodoc_typehints = "none"
