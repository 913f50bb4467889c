"""Shared fixtures and the test tiers.

Tiers (markers registered in pyproject.toml):

- unit (no marker): needs only `make setup`; `pytest -m "not build and not browser"`.
- `build`: reads the outputs of `make all` in this checkout, or builds copies of it. The built
  copies are shared: `built_checkout` copies this built checkout once per session, and
  `built_copy` hands each test that changes files its own cheap copy of that copy.
- `browser`: needs Chromium and chromedriver on PATH. Without them the browser tests are
  deselected with one summary line saying how to install them; with CI=true a missing browser
  fails those tests instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import (
    BROWSER_INSTALL,
    RAW,
    ROOT,
    clone_copy,
    copy_built_checkout,
    missing_browser,
    run_make,
)

#: What `make all` leaves in this checkout; the build tier reads it or copies it.
BUILT_MARK = ROOT / "reports" / "_site" / "index.html"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a browser, deselect the browser tier (one summary line), unless CI=true."""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    missing = missing_browser() if browser_items else ""
    if not missing or in_ci():
        return  # in CI the browser fixture fails each browser test with the same message
    config.hook.pytest_deselected(items=browser_items)
    items[:] = [item for item in items if not item.get_closest_marker("browser")]
    config.stash[_BROWSER_NOTE] = (
        f"{len(browser_items)} browser tests not run: {missing}; to run them, "
        f"`{BROWSER_INSTALL}` (with CI=true a missing browser is a failure)"
    )


_BROWSER_NOTE = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    note = terminalreporter.config.stash.get(_BROWSER_NOTE, None)
    if note:
        terminalreporter.write_line(note, yellow=True)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of data/raw to corrupt freely; returns the path of its datapackage.json."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target / "datapackage.json"


@pytest.fixture(scope="session")
def snapshot_tidy() -> pd.DataFrame:
    """The tidy table cleaned from data/raw in this process (no build needed); do not modify."""
    from analysis.clean.tidy import build_tidy

    return build_tidy(RAW / "datapackage.json")


@pytest.fixture(scope="session")
def built_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of this built checkout for the whole session (outputs and their modification
    times kept, `.venv` linked). Treat it as read-only: to change files, use `built_copy`."""
    if not BUILT_MARK.is_file():
        pytest.fail(f"{BUILT_MARK.relative_to(ROOT)} not found: run `make all` first", False)
    copy = copy_built_checkout(tmp_path_factory.mktemp("built") / "repo")
    # A stale build (a source edited after the last make all) would make every test that counts
    # what make reruns fail for the wrong reason: say so once, here.
    stale = run_make(copy, "-n", "all", timeout=120)
    if stale.returncode != 0 or "run-notebook" in stale.stdout or "analysis " in stale.stdout:
        pytest.fail(
            "this checkout's build is out of date (`make -n all` has work): run `make all`", False
        )
    return copy


@pytest.fixture
def built_copy(built_checkout: Path, tmp_path: Path) -> Path:
    """A private copy of the built checkout for one test to edit, touch and rebuild."""
    return clone_copy(built_checkout, tmp_path / "repo")
