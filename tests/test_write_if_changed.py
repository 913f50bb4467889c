"""A step that writes identical content leaves the file untouched (bytes and modification time)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from analysis.core.atomic import atomic_directory, atomic_path
from analysis.models.step import write_tables
from analysis.site.runner import same_page

OLD = 1_600_000_000_000_000_000  # a modification time in 2020, in ns


def aged(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))
    return path


def test_same_bytes_keep_the_old_file_and_different_bytes_replace_it(tmp_path: Path) -> None:
    target = aged(tmp_path / "out.txt", "same\n")
    with atomic_path(target, if_changed=True) as tmp:
        tmp.write_text("same\n", encoding="utf-8")
    assert target.stat().st_mtime_ns == OLD and not list(tmp_path.glob(".out.txt.*"))
    with atomic_path(target, if_changed=True) as tmp:
        tmp.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n" and target.stat().st_mtime_ns != OLD


def test_model_tables_report_which_were_written(tmp_path: Path) -> None:
    tables = {"a": pd.DataFrame({"x": [1.5]}), "b": pd.DataFrame({"y": [2]})}
    assert set(write_tables(tables, tmp_path).values()) == {True}
    for path in tmp_path.glob("*.csv"):
        os.utime(path, ns=(OLD, OLD))
    tables["b"] = pd.DataFrame({"y": [3]})
    written = write_tables(tables, tmp_path)
    assert written == {tmp_path / "a.csv": False, tmp_path / "b.csv": True}
    assert (tmp_path / "a.csv").stat().st_mtime_ns == OLD


def test_site_swap_keeps_the_dates_of_unchanged_pages(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    site.mkdir()
    aged(site / "same.html", "<p>same</p>")
    aged(site / "changed.html", "<p>old</p>")
    with atomic_directory(site) as out:
        (out / "same.html").write_text("<p>same</p>", encoding="utf-8")
        (out / "changed.html").write_text("<p>new</p>", encoding="utf-8")
    assert (site / "same.html").stat().st_mtime_ns == OLD
    assert (site / "changed.html").stat().st_mtime_ns != OLD


def _page(tmp_path: Path, name: str, start: str, output: str) -> Path:
    timing = {"start_time": start, "end_time": start, "duration": 0.1}
    cell = {
        "cell_type": "code",
        "metadata": {"execution": {"iopub.status.idle": start}, "papermill": dict(timing)},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
        "source": "print(1)",
    }
    notebook = {"cells": [cell], "metadata": {"papermill": dict(timing, parameters={})}}
    path = tmp_path / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_executed_pages_compare_without_their_run_times(tmp_path: Path) -> None:
    first = _page(tmp_path, "a.ipynb", "2026-01-01T00:00:00", "1\n")
    later = _page(tmp_path, "b.ipynb", "2026-06-30T12:00:00", "1\n")
    other = _page(tmp_path, "c.ipynb", "2026-01-01T00:00:00", "2\n")
    assert same_page(first, later)
    assert not same_page(first, other)
