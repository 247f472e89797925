"""What every result of the Python API shares: strict JSON and the DataFrame conversions.

Results hold NumPy arrays and plain dicts; pandas and matplotlib are imported only when a
DataFrame or a figure is asked for. `to_dict()` is the one schema of a result: the CLI's
`--json`, the web page's JSON API and the characterise report print exactly it.
"""

from __future__ import annotations

from planetinfer import jsonout


class Result:
    """Base of the API results: subclasses define to_dict()."""

    def to_dict(self) -> dict:
        raise NotImplementedError

    def to_json(self, **kwargs) -> str:
        """Strict JSON of to_dict() (a missing number is null, with a status saying why), with
        the planetinfer version that made it."""
        return jsonout.dumps(jsonout.stamped(self.to_dict()), **kwargs)


def frame(rows: list[dict], index: list[str] | None = None, index_name: str = "planet"):
    """A pandas DataFrame of flat rows (imported here, when asked for)."""
    import pandas as pd

    table = pd.DataFrame(rows)
    if index is not None:
        table.index = pd.Index(index, name=index_name)
    return table
