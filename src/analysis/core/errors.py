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


class StepFailed(Exception):
    """A pipeline step found problems it has already put into one line (the message)."""


class ParameterError(Exception):
    """An analysis parameter is unknown, of the wrong type or out of range."""


class PageError(ValueError):
    """A page and its notebook disagree (placeholder, parameter, title); one line says how."""


class NotebookFailed(Exception):
    """A notebook raised while it ran; the message names the notebook and the cell."""


#: What to do about the operating-system errors a user can meet, by errno name.
_OS_FIXES = {
    "ENOSPC": "the disk is full: free some space, then run make again",
    "EDQUOT": "the disk quota is exhausted: free some space, then run make again",
    "EACCES": "no permission: make the folder writable (chmod u+w) or work in a checkout you own",
    "EPERM": "not permitted: make the folder writable (chmod u+w) or work in a checkout you own",
    "EROFS": "the file system is read-only: work in a writable copy of the checkout",
    "ENOENT": "it does not exist: check the path, or run `make all` to create what is generated",
}


def describe_os_error(exc: OSError) -> str:
    """One line for an operating-system error: the path, what happened, and what to do."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    where = exc.filename if exc.filename is not None else "a file"
    what = exc.strerror or str(exc)
    fix = _OS_FIXES.get(name, "check the path and its permissions")
    return f"{where}: {what}; {fix}"
