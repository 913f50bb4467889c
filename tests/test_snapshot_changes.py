"""The snapshot is compared with its description, not with file dates: a deleted, renamed or
added raw file stops the next `make all` with one line, marks the old site, and the build after
the fix succeeds and removes the mark. Each case runs in a private copy of the built checkout."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import run_make, tree_digest

pytestmark = pytest.mark.build

DESCRIBED = "data/raw/inegi/catalogo_entidades.csv"


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_marked(copy: Path) -> None:
    index = (copy / "reports/_site/index.html").read_text(encoding="utf-8")
    assert 'class="build-failed"' in index and "step validate" in index


def assert_rebuilt_clean(copy: Path) -> None:
    fixed = run_make(copy, "all")
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    index = (copy / "reports/_site/index.html").read_text(encoding="utf-8")
    assert 'class="build-failed"' not in index
    assert not (copy / "reports/_site/.build-failed.json").exists()


def test_a_deleted_raw_file_is_noticed(built_copy: Path) -> None:
    raw = built_copy / DESCRIBED
    kept = raw.read_bytes()
    raw.unlink()
    result = run_make(built_copy, "all")
    assert result.returncode != 0
    lines = error_lines(result)
    assert len(lines) == 1 and f"{DESCRIBED}: raw file is missing" in lines[0], result.stderr
    assert_marked(built_copy)
    raw.write_bytes(kept)
    assert_rebuilt_clean(built_copy)


def test_an_undescribed_file_with_an_old_date_is_noticed(built_copy: Path) -> None:
    extra = built_copy / "data/raw/inegi/copia.csv"
    shutil.copy2(built_copy / DESCRIBED, extra)
    os.utime(extra, (946684800, 946684800))  # 2000-01-01: older than every output
    before = tree_digest(built_copy / "data/raw")
    result = run_make(built_copy, "all")
    assert result.returncode != 0
    lines = error_lines(result)
    assert len(lines) == 1 and "data/raw/inegi/copia.csv: raw file is not described" in lines[0]
    assert tree_digest(built_copy / "data/raw") == before  # nothing in data/raw was touched
    extra.unlink()
    assert_rebuilt_clean(built_copy)


def test_a_renamed_raw_file_is_noticed(built_copy: Path) -> None:
    raw = built_copy / DESCRIBED
    renamed = raw.with_name("catalogo.csv")
    raw.rename(renamed)
    result = run_make(built_copy, "all")
    assert result.returncode != 0
    lines = error_lines(result)
    assert len(lines) == 1 and DESCRIBED in lines[0] and "+1 more problem" in lines[0]
    renamed.rename(raw)
    assert_rebuilt_clean(built_copy)
