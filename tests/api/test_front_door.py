"""The front door: cheap imports, strict JSON on every --json, docstring examples."""

import doctest
import importlib
import subprocess
import sys

import pytest

from planetinfer import jsonout
from planetinfer.api import EXPORTS

HEAVY = ("jax", "pandas", "scipy", "matplotlib")


@pytest.mark.parametrize(
    "code",
    ["import planetinfer", "import planetinfer.cli.main",
     "from planetinfer.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
     "from planetinfer.cli.main import main\ntry:\n    main(['escape', '--help'])\nexcept SystemExit:\n    pass"],
)  # fmt: skip
def test_start_up_imports_nothing_heavy(code):
    probe = code + f"\nimport sys\nprint(sorted(m for m in {HEAVY} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "[]"


def test_single_planet_paths_import_no_jax_or_pandas():
    probe = (
        "import planetinfer, sys\n"
        "planetinfer.interior_posterior(1.0, 1.0, 255.0, mass_err=0.05, samples=500)\n"
        "planetinfer.predict_mass(2.0, 100.0)\n"
        "planetinfer.escape_rate(9.0, 3.0, 0.7, 1000.0, 1e4)\n"
        "print(sorted(m for m in ('jax', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=300, check=True).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("name", sorted(set(EXPORTS.values())))
def test_docstring_examples_run(name):
    module = importlib.import_module(f"planetinfer.api.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_exported_name_resolves():
    import planetinfer

    for name in EXPORTS:
        assert getattr(planetinfer, name) is not None


def test_strict_json_rejects_nan_and_writes_null():
    assert (
        jsonout.dumps({"a": float("nan"), "b": [1.0, float("inf")]})
        == '{"a": null, "b": [1.0, null]}'
    )
    with pytest.raises(ValueError):
        jsonout.loads_strict('{"a": NaN}')
