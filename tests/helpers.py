"""Helpers shared by the tests and by `tools/bench.py`: copies of the checkout, make in a copy.

The tests import this as `helpers` (pytest puts tests/ on sys.path); tools/bench.py imports it
as `tests.helpers` (it puts the repository root on sys.path). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

#: What every copy needs: the build definition, parameters, code, notebooks, raw data and the
#: reports project file.
COPY_FILES = ("Makefile", "params.yaml", "pyproject.toml", "requirements.lock", "README.md")
SOURCE_DIRS = ("src", "notebooks", "data/raw", "reports", "tools")
#: What `make all` adds; a built copy takes these too (with their modification times).
BUILT_DIRS = ("data/processed", "build")
_NEVER = ("__pycache__", "*.egg-info", ".ipynb_checkpoints", ".quarto", ".*.tmp*")
#: In an unbuilt copy, reports/ keeps only its project files: no executed page, no site.
_UNBUILT_REPORTS = shutil.ignore_patterns(*_NEVER, "_site", "*.ipynb", "benchmark.json")
#: Variables a parent make exports; a nested make in a copy must not join its jobserver.
MAKE_VARIABLES = frozenset(
    {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR"}
)


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Edit a copied raw file in place (the test's own copy, never data/raw)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_checkout(dest: Path, *, built: bool, root: Path = ROOT) -> Path:
    """Copy the checkout at `root` to `dest`, with `dest/.venv` a symlink to root's environment.

    `built=True` copies the outputs of `make all` too (data/processed, build, executed pages and
    the site), modification times kept, so make in the copy sees what is up to date; `built=False`
    copies only what a fresh clone has. Either way the copy's `requirements.lock` and
    `pyproject.toml` are dated no later than the venv's stamp (`.venv/.installed`), so make in the
    copy never reinstalls packages into the shared venv. Returns `dest`.
    """
    stamp = root / ".venv" / ".installed"
    if not stamp.is_file():
        raise RuntimeError(f"{stamp} not found: run `make setup` in {root} first")
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPY_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, dest / name)
    for folder in SOURCE_DIRS + (BUILT_DIRS if built else ()):
        source = root / folder
        if not source.is_dir():
            continue
        unbuilt_reports = folder == "reports" and not built
        ignore = _UNBUILT_REPORTS if unbuilt_reports else shutil.ignore_patterns(*_NEVER)
        shutil.copytree(source, dest / folder, ignore=ignore, symlinks=True)
    (dest / ".venv").symlink_to((root / ".venv").resolve())
    stamp_time = stamp.stat().st_mtime
    for name in ("requirements.lock", "pyproject.toml"):
        path = dest / name
        if path.exists() and path.stat().st_mtime >= stamp_time:
            os.utime(path, (stamp_time - 60, stamp_time - 60))
    return dest


def copy_built_checkout(dest: Path, root: Path = ROOT) -> Path:
    """A copy of the built checkout at `root` (see copy_checkout); returns `dest`."""
    return copy_checkout(dest, built=True, root=root)


def clone_copy(source: Path, dest: Path) -> Path:
    """A private copy of another copy (files copied, modification times kept, `.venv` link kept):
    cheap, and safe to edit in place or `touch`, unlike hard links."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def make_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a make run in a copy: this one without a parent make's jobserver
    flags (`make test` runs pytest inside make), so the child schedules its own jobs."""
    env = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    env.update(extra or {})
    return env


def run_make(
    cwd: Path, *args: str, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run make in `cwd` (bounded by `timeout`); the result is returned whatever the exit code."""
    return subprocess.run(
        ["make", *args],
        cwd=cwd,
        env=env or make_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def tree_digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes (to prove a tree was not touched)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ---- the browser tier ----------------------------------------------------------------------------

BROWSER_INSTALL = "apt-get install chromium chromium-driver"


def browser_paths() -> tuple[str | None, str | None]:
    """(chromedriver, chromium) as found on PATH; None for what is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    return shutil.which("chromedriver"), browser


def missing_browser() -> str:
    """'' when Chromium and chromedriver are both on PATH; otherwise what is missing, in words."""
    driver, browser = browser_paths()
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    return f"{' and '.join(missing)} not found" if missing else ""
