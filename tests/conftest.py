"""Shared fixtures: throw-away copies of the raw snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import RAW


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of data/raw to corrupt freely; returns the path of its datapackage.json."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target / "datapackage.json"
