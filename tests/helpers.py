"""Helpers shared by the tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Edit a copied raw file in place (the test's own copy, never data/raw)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_built_checkout(dest: Path) -> Path:
    """Copy this built checkout to `dest` (modification times kept, so make sees what is up to
    date) with `.venv` linked to this checkout's environment; returns `dest`."""
    import shutil

    dest.mkdir(parents=True)
    for name in ["Makefile", "params.yaml", "pyproject.toml", "requirements.lock"]:
        shutil.copy2(ROOT / name, dest / name)
    for folder in ["src", "notebooks", "data", "build", "reports"]:
        shutil.copytree(
            ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def make_env() -> dict[str, str]:
    """The environment for a make started by a test: without the parent make's jobserver flags
    (`make test` runs pytest inside make), so the child schedules its own jobs."""
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    }


def tree_digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes (to prove a tree was not touched)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
