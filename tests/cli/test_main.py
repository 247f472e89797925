"""The CLI entry point: version, help, and the exit-code convention for bad input."""

import subprocess
import sys

import pytest

from planetinfer import __version__
from planetinfer.cli.main import main


def test_version_prints_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_module_entry_point_runs():
    completed = subprocess.run(
        [sys.executable, "-m", "planetinfer", "--help"], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0
    assert "structure" in completed.stdout
