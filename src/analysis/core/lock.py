"""requirements.lock read once, with `packaging`: the pins of a pip-compile lock file.

Used by the reproducibility page (`analysis.report.buildinfo`) and by `make doctor`, which asks
the virtual environment's Python to run it (the system Python may not have `packaging`).
"""

from __future__ import annotations

from pathlib import Path


def logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined and comments removed."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            lines.append(current.strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def read_pins(text: str) -> dict[str, str]:
    """Canonical distribution name -> pinned version, for every `name==version` requirement of a
    lock file (hashes, comments, markers and pip options ignored)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in logical_lines(text):
        if line.startswith("-"):
            continue  # pip options: --index-url, -r, -c, ...
        requirement = Requirement(line.split(" --hash", 1)[0].strip())
        exact = [s.version for s in requirement.specifier if s.operator in {"==", "==="}]
        if exact:
            pins[canonicalize_name(requirement.name)] = exact[0]
    return pins


def lock_pins(path: str | Path) -> dict[str, str]:
    """`read_pins` of a lock file on disk."""
    return read_pins(Path(path).read_text(encoding="utf-8"))
