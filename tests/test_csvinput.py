"""csvinput: user CSV tables fail with one clear line, bad rows are named (issue: tracebacks on
empty files and garbage rows in --profile, --input-samples and --table)."""

import subprocess
import sys

import pytest

from planetinfer.csvinput import first_problem, read_numeric_table
from planetinfer.errors import InputError


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("radius,flux\n", "has a header but no rows"),
    ("radius\n1\n", "lacks the column(s) flux (has radius)"),
    ("radius,flux\n1,2\n3,4,5,6\n", "not a readable CSV file"),
])  # fmt: skip
def test_unusable_files(tmp_path, text, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_numeric_table(_write(tmp_path, text), "table", ("radius", "flux"))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="table = .* does not exist"):
        read_numeric_table(tmp_path / "none.csv", "table", ("radius",))


def test_bad_cells_are_named_by_row_and_column(tmp_path):
    path = _write(tmp_path, "radius,flux,flux_err\n2,100,5\nabc,3,\n4,,1\n 5 , 6 ,x\n")
    frame, problems = read_numeric_table(path, "table", ("radius", "flux"), ("flux_err",))
    assert problems == {2: "radius = 'abc' is not a number", 3: "flux is empty",
                        4: "flux_err = 'x' is not a number"}  # fmt: skip
    assert frame.loc[0].tolist() == [2.0, 100.0, 5.0] and frame.loc[3, "radius"] == 5.0
    with pytest.raises(InputError, match=r"table = .* row 2: radius = 'abc' is not a number"):
        first_problem(problems, "table", path)


def test_mrf_table_skips_bad_rows_and_predicts_the_rest(tmp_path):
    path = _write(tmp_path, "name,radius,flux\ngood,2,100\nbad,abc,5\nnegative,-1,5\n")
    out = subprocess.run([sys.executable, "-m", "planetinfer", "mrf", "predict", "--table",
                          str(path)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines == ["warning: table row 2 (bad): radius = 'abc' is not a number; skipped",
                     "warning: table row 3 (negative): radius = -1 R_E is outside the valid "
                     "range (0, inf) R_E; skipped"]  # fmt: skip
    assert out.stdout.startswith("good: M = ")
