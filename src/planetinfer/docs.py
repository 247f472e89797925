"""Build the documentation site: `python -m planetinfer.docs [--source docs] [--out DIR]`.

Runs Sphinx on the repository's `docs/` folder (MyST pages, the tutorials executed as notebooks,
the API reference from docstrings) with warnings as errors. Needs the `docs` extra and a checkout
of the repository (the pages are not part of the installed package).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planetinfer.docs", description=__doc__)
    parser.add_argument("--source", type=Path, default=Path("docs"),
                        help="folder holding conf.py (default: ./docs)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None,
                        help="HTML output folder (default: <source>/_build/html)")  # fmt: skip
    parser.add_argument("--no-execute", action="store_true",
                        help="do not execute the tutorials (a quick check of the pages)")  # fmt: skip
    args = parser.parse_args(argv)
    if not (args.source / "conf.py").is_file():
        print(f"error: source = {args.source} has no conf.py; run from a checkout of the "
              "repository or give --source", file=sys.stderr)  # fmt: skip
        return 2
    try:
        from sphinx.cmd.build import build_main
    except ModuleNotFoundError:
        print("error: building the documentation needs the docs extra: pip install -e '.[docs]'",
              file=sys.stderr)  # fmt: skip
        return 2
    import os

    if args.no_execute:
        os.environ["PLANETINFER_DOCS_EXECUTE"] = "off"
    out = args.out or args.source / "_build" / "html"
    return build_main(["-W", "--keep-going", "-b", "html", str(args.source), str(out)])


if __name__ == "__main__":
    sys.exit(main())
