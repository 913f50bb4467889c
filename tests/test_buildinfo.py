"""The build facts the footer and the reproducibility page state: data vintage, build date,
renderer, commit (with a warning for uncommitted changes) and the raw files' checksums."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis.report.buildinfo import (
    PATH_CHARS,
    GitState,
    build_facts,
    commit_markdown,
    data_hashes,
    data_vintage,
    display_date,
    footer_text,
    git_state,
    hashes_table,
    quarto_version,
    release_dates,
    renderer_text,
    short_paths,
)
from analysis.report.labels import catalog, label
from helpers import RAW

MONTHS = catalog()["site"]["months"]


def resource(vintage: str, publisher: str = "INEGI") -> dict[str, object]:
    return {"x-provenance": {"publisher": publisher, "vintage": vintage}}


def test_release_dates_read_months_and_days_not_bare_years_or_hashes() -> None:
    assert release_dates("SIE as downloaded 2026-07-01 (data to May 2026)") == [(2026, 7, 1)]
    assert release_dates("releases 2020-11 to 2026-02") == [(2020, 11, 0), (2026, 2, 0)]
    assert release_dates("2024 update") == []
    assert release_dates("commit 14765664687011bb, 20240627_2017") == []
    assert release_dates("2024-13 and 2024-02-30-1") == []  # no month 13; not a date


def test_data_vintage_is_the_newest_source_release_not_the_project_own_files() -> None:
    package = {
        "resources": [
            resource("2026-09"),
            resource("2025-01-09"),
            resource("2026-12-01", publisher="This project"),
            resource("2021"),
            {"name": "no provenance"},
        ]
    }
    assert data_vintage(package) == (2026, 9, 0)
    assert data_vintage({"resources": [resource("2026-09"), resource("2026-09-15")]}) == (
        2026,
        9,
        15,
    )
    assert data_vintage({"resources": [resource("not stated")]}) is None


def test_dates_and_footer_in_words() -> None:
    assert display_date((2026, 9, 0), MONTHS) == "September 2026"
    assert display_date((2025, 1, 9), MONTHS) == "9 January 2025"
    assert (
        footer_text(
            "September 2026", datetime.date(2026, 12, 1), "As of {vintage}; {built}.", MONTHS
        )
        == "As of September 2026; 1 December 2026."
    )


def test_renderer_text_names_the_renderer_make_uses() -> None:
    templates = {"quarto": "Quarto {version}", "nbconvert": "nbconvert {version}"}
    assert renderer_text("1.11.0", "7.17.2", templates) == "Quarto 1.11.0"
    assert renderer_text(None, "7.17.2", templates) == "nbconvert 7.17.2"
    assert quarto_version(lambda name: None) is None
    assert quarto_version(lambda name: "/nonexistent/quarto") is None


def test_the_renderer_is_one_plain_line_without_build_log_detail() -> None:
    """'Renderer: nbconvert 7.17.2', not why make chose it (#60)."""
    templates = {name: label("site", f"renderer_{name}") for name in ("quarto", "nbconvert")}
    assert renderer_text(None, "7.17.2", templates) == "nbconvert 7.17.2"
    assert renderer_text("1.11.0", "7.17.2", templates) == "Quarto 1.11.0"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_build_from_uncommitted_changes_says_so_as_a_warning(tmp_path: Path) -> None:
    """A clean checkout shows its commit alone; uncommitted changes to tracked files give a
    warning before the list (never a certificate in the commit line); untracked files (build
    outputs) do not count; outside git the commit is 'not known'."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("a\n")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    (tmp_path / "output.csv").write_text("untracked\n")
    clean = git_state(tmp_path)
    assert clean.commit and len(clean.commit) == 40 and clean.changed == ()
    built = datetime.datetime(2026, 12, 1, 12, 22, tzinfo=datetime.UTC)
    page = build_facts(clean, built, "3.11.7 on Linux x86_64", "nbconvert 7.17.2")
    assert page.splitlines() == [
        f"- **Commit:** `{clean.commit}`",
        "- **Built:** 2026-12-01 12:22 UTC",
        "- **Python:** 3.11.7 on Linux x86_64",
        "- **Renderer:** nbconvert 7.17.2",
    ]
    (tmp_path / "a.txt").write_text("changed\n")
    dirty = git_state(tmp_path)
    assert dirty.commit == clean.commit and dirty.changed == ("a.txt",)
    page = build_facts(dirty, built, "3.11.7 on Linux x86_64", "nbconvert 7.17.2")
    warning, _, facts = page.partition("\n\n")
    assert warning.startswith("> **Warning: these pages were built from uncommitted changes.**")
    assert f"1 tracked file differed from commit `{clean.commit[:12]}`" in warning
    assert facts.splitlines()[0] == f"- **Commit:** `{clean.commit}`"
    assert "uncommitted" not in facts
    assert git_state(tmp_path / "no such folder") == GitState(None)
    assert commit_markdown(GitState(None)) == (label("build", "commit_unknown"), "")


def test_each_raw_file_is_listed_once_even_when_two_resources_read_it(tmp_path: Path) -> None:
    record = {"path": "data/raw/x/shared.csv.bz2", "rows": 3, "sha256": "ab" * 32}
    validation = tmp_path / "validation.json"
    validation.write_text(
        json.dumps(
            {
                "resources": [
                    record | {"name": "counts"},
                    record | {"name": "rates"},
                    {"path": "data/raw/y.csv", "rows": 1, "sha256": "cd" * 32, "name": "y"},
                ]
            }
        )
    )
    hashes = data_hashes(validation)
    assert hashes["File"].tolist() == ["data/raw/x/shared.csv.bz2", "data/raw/y.csv"]
    assert hashes["Resources"].tolist() == ["counts; rates", "y"]
    shown = hashes_table(pd.concat([hashes, hashes]))  # a duplicate row never shows twice
    assert shown["File (in data/raw)"].tolist() == ["x/shared.csv.bz2", "y.csv"]
    validation.write_text(
        json.dumps({"resources": [record, record | {"sha256": "ef" * 32}]}), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="two checksums"):
        data_hashes(validation)


def test_shortened_file_names_stay_unique_and_keep_the_part_that_differs() -> None:
    """Long names that differ only in the middle (the SDG files differ only in their series
    code) keep that part; every shown name is distinct and fits PATH_CHARS."""
    package = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    files = sorted({r["path"] for r in package["resources"]})
    shown = short_paths(files)
    assert len(set(shown)) == len(files)
    assert all(len(s) <= PATH_CHARS for s in shown)
    assert sum("…" in s for s in shown) >= 19  # the case of the review: 19 SDG files
    for path, short in zip(files, shown, strict=True):
        if path.startswith("unsd_sdg/ddf--datapoints--"):
            code = path.removeprefix("unsd_sdg/ddf--datapoints--").split("--")[0]
            assert f"--{code}--" in short or f"--{code}…" in short, short
    middle = [f"d/{'x' * 30}--{code}--{'y' * 30}.csv" for code in ("aa", "ab", "ba")]
    cut = short_paths(middle, width=44)
    assert len(set(cut)) == 3 and all(len(c) <= 44 for c in cut)
    assert [c.split("--")[1].split("…")[0] for c in cut] == ["aa", "ab", "ba"]
    assert short_paths(["a/short.csv", "a/short.csv"]) == ["a/short.csv", "a/short.csv"]
