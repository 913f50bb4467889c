"""The snapshot's manifest: every file under data/raw and every path datapackage.json describes.

Make cannot see a deleted prerequisite, nor a file copied in with an old modification time, so
the validation step depends on this manifest instead of on file dates alone. It is rewritten
(while make reads the Makefile, with the system Python: standard library only) only when the
list changes, so a deleted, renamed or added raw file, whatever its date, reruns validation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def manifest_text(raw_dir: Path) -> str:
    """One line per file on disk ('file <path>') and per described path ('described <path>')."""
    on_disk = sorted(
        p.relative_to(raw_dir).as_posix()
        for p in raw_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    described: list[str] = []
    package = raw_dir / "datapackage.json"
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        described = sorted(
            str(r.get("path", f"(no path: {r.get('name', '?')})"))
            for r in descriptor.get("resources", [])
            if isinstance(r, dict)
        )
    except (OSError, ValueError, AttributeError):
        described = ["(datapackage.json unreadable: validation will say why)"]
    lines = [f"file {p}" for p in on_disk] + [f"described {p}" for p in described]
    return "\n".join(lines) + "\n"


def refresh(raw_dir: Path, out: Path) -> bool:
    """Write the manifest if its text changed; return whether it was written."""
    text = manifest_text(raw_dir)
    if out.is_file() and out.read_text(encoding="utf-8") == text:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return True


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.snapshot.manifest RAW_DIR OUT`."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m analysis.snapshot.manifest RAW_DIR OUT", file=sys.stderr)
        return 2
    refresh(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
