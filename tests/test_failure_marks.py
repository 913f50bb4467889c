"""A failed build marks the existing site: every page carries a banner saying what failed and when,
the page whose notebook failed says so itself, and a clean render removes the marks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.site.failure import MARKER, mark_site_failed
from helpers import replace_in_file

WHEN = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)


def site(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / "_site"
    folder.mkdir(parents=True)
    for name in ("index", "progress"):
        (folder / f"{name}.html").write_text(
            f'<!DOCTYPE html>\n<html><body class="x">\n<h1>{name}</h1>\n</body></html>\n',
            encoding="utf-8",
        )
    return folder


def test_every_page_is_marked_and_the_failing_page_says_so(tmp_path: Path) -> None:
    folder = site(tmp_path)
    assert (
        mark_site_failed(folder, "run-notebook", "cell 3 raised ValueError", "progress", WHEN) == 2
    )
    index = (folder / "index.html").read_text(encoding="utf-8")
    progress = (folder / "progress.html").read_text(encoding="utf-8")
    assert "the last build failed</strong> (step run-notebook, 2026-12-01 08:30 UTC)" in index
    assert "may not be current" in index and "This page could not be rebuilt" in progress
    assert index.index('class="build-failed"') > index.index("<body")
    record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert record == {
        "step": "run-notebook",
        "reason": "cell 3 raised ValueError",
        "page": "progress",
        "when": "2026-12-01 08:30 UTC",
    }


def test_a_second_failure_replaces_the_banner(tmp_path: Path) -> None:
    folder = site(tmp_path)
    mark_site_failed(folder, "validate", "first", now=WHEN)
    mark_site_failed(folder, "models", "second", now=WHEN)
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert text.count('class="build-failed"') == 1 and "second" in text and "first" not in text


def test_no_site_no_mark(tmp_path: Path) -> None:
    assert mark_site_failed(tmp_path / "missing", "validate", "x") == 0
    assert not (tmp_path / "missing").exists()


def test_a_failed_validation_marks_the_site(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Through the command line, in a folder laid out like a checkout (data/raw, reports/_site),
    validating its own package as make does."""
    folder = site(tmp_path)
    (tmp_path / "data").mkdir()
    raw_copy.parent.rename(tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    replace_in_file(Path("data/raw/coneval/pobreza_nacional_2008_2018.csv"), ",41.9\n", ",141.9\n")
    code = main(["validate", "--summary", str(tmp_path / "v.json")])
    line = capsys.readouterr().err.strip()
    assert code == 1 and "plausible range" in line and "\n" not in line
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "step validate" in text and "141.9" in text
    assert (folder / MARKER).is_file() and not (tmp_path / "v.json").exists()


def test_a_step_on_another_package_leaves_the_site_alone(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A trial on a copy of the snapshot (--package elsewhere) is not this checkout's build."""
    folder = site(tmp_path)
    monkeypatch.chdir(tmp_path)
    replace_in_file(
        raw_copy.parent / "coneval/pobreza_nacional_2008_2018.csv", ",41.9\n", ",141.9\n"
    )
    code = main(["validate", "--package", str(raw_copy), "--summary", str(tmp_path / "v.json")])
    assert code == 1 and "plausible range" in capsys.readouterr().err
    assert 'class="build-failed"' not in (folder / "index.html").read_text(encoding="utf-8")
    assert not (folder / MARKER).exists()
