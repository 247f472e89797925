"""Numeric CSV tables given by the user (profiles, input samples, planet tables).

One reader for every door: a missing, empty or unparseable file is one InputError naming the
option; a cell that is not a number is reported with its row (1 = the first data row) and
column, so a batch can flag that row and go on, and a single-table input can name it.
"""

from __future__ import annotations

from pathlib import Path

from planetinfer.errors import InputError


def read_numeric_table(path, option: str, required, optional=()):
    """(pandas DataFrame of floats with the required and present optional columns,
    {row: reason} for rows with a cell that is not a number or is empty).

    path: CSV file with a header line; option: the option's name for messages.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{option} = {path} does not exist")
    try:
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"{option} = {path} is empty (a header line and rows are needed)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{option} = {path} is not a readable CSV file: {error}") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"{option} = {path} lacks the column(s) {', '.join(missing)} "
                         f"(has {', '.join(frame.columns) or 'none'})")  # fmt: skip
    if frame.empty:
        raise InputError(f"{option} = {path} has a header but no rows")
    columns = [*required, *(c for c in optional if c in frame.columns)]
    numbers = frame[columns].apply(lambda column: pd.to_numeric(column, errors="coerce"))
    problems = {}
    for column in columns:
        for row in frame.index[numbers[column].isna()]:
            text = frame.at[row, column]
            what = "is empty" if pd.isna(text) else f"= {text!r} is not a number"
            problems.setdefault(int(row) + 1, f"{column} {what}")
    return numbers.astype(float), problems


def first_problem(problems: dict, option: str, path) -> None:
    """InputError for a table that must be whole: names its first bad row."""
    if problems:
        row = min(problems)
        raise InputError(f"{option} = {path} row {row}: {problems[row]}")
