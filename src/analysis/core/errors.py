"""Errors that name the file, row and field, so a user can fix bad input without reading code."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Bad input: carries the file, row and field it concerns and renders a one-line message."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        self.reason = message
        super().__init__(self.render())

    def render(self) -> str:
        """One line: `file: row N, field F: reason`, leaving out the parts that are unknown."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        location = ", ".join(where)
        prefix = self.file or "input"
        return f"{prefix}: {location}: {self.reason}" if location else f"{prefix}: {self.reason}"


class ParameterError(Exception):
    """An analysis parameter is unknown, of the wrong type or out of range."""
