"""Determinism: a clean build of the same inputs gives the same bytes as this checkout's build.

A fresh copy of the sources (`helpers.copy_checkout(built=False)`) is built from nothing with
`make all`, with a fixed hash seed and another time zone, at another path, and compared with the
session's copy of this built checkout (`built_checkout`, made by `make all` with whatever seed
and zone the developer or CI had), so set ordering, local time and absolute paths cannot leak into
an output unnoticed. Then:

- every table in `data/processed/` (*.csv, *.json) is byte-identical;
- every figure (the PNG bytes inside the executed notebooks) is byte-identical;
- the executed notebooks are identical once papermill's timing fields and the kernel's execution
  timestamps are removed;
- the rendered pages in `reports/_site/` are byte-identical;
- the clean build did not change a byte of the copy's data/raw.

The reproducibility page records the build itself (its date, each step's wall time), so its
outputs differ by design; it is compared for figures only (see BUILD_RECORD_PAGES).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.site.runner import INJECTED_CELL_ID, normalise_executed
from helpers import copy_checkout, make_env, run_make, tree_digest

BUILD_TIMEOUT = 600
#: Pages whose purpose is to describe the build that made them (date, step timings).
BUILD_RECORD_PAGES = frozenset({"reproducibility"})
#: Papermill's per-run timing keys, in the notebook's and in each cell's metadata.
TIMING_KEYS = ("start_time", "end_time", "duration")
#: The clean build's seed and time zone (the checkout's build had its own).
CLEAN_ENV = {"PYTHONHASHSEED": "2", "TZ": "America/Mexico_City"}
VARIANTS = ("checkout", "clean")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, built_checkout: Path) -> dict[str, Path]:
    """This checkout's build and one clean build of the same sources elsewhere."""
    clean = copy_checkout(tmp_path_factory.mktemp("determinism") / "clean", built=False)
    raw_before = tree_digest(clean / "data" / "raw")
    result = run_make(clean, "all", timeout=BUILD_TIMEOUT, env=make_env(CLEAN_ENV))
    assert result.returncode == 0, (
        f"clean build failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    )
    assert tree_digest(clean / "data" / "raw") == raw_before, "make all changed data/raw"
    return {"checkout": built_checkout, "clean": clean}


def files(folder: Path, *patterns: str) -> dict[str, bytes]:
    """Relative name -> bytes for the files matching `patterns` directly in `folder`."""
    return {p.name: p.read_bytes() for pattern in patterns for p in sorted(folder.glob(pattern))}


def pages(build: Path) -> dict[str, dict[str, Any]]:
    """Executed pages of a build (reports/<page>.ipynb), parsed."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((build / "reports").glob("*.ipynb"))
    }


#: The build date a page states ("Site built on 1 December 2026"): two builds a minute apart
#: across midnight state different dates, and nothing else may differ.
_BUILD_DATE = re.compile(rb"([Bb]uilt on )\d{1,2} [A-Z][a-z]+ \d{4}")


def without_build_date(data: bytes) -> bytes:
    return _BUILD_DATE.sub(rb"\1<date>", data)


def exhibit_files(build: Path) -> dict[str, bytes]:
    """Every figure and CSV beside the pages (reports/exhibits/<page>/<label>.*)."""
    folder = build / "reports" / "exhibits"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def without_timing(notebook: dict[str, Any]) -> dict[str, Any]:
    """A copy without papermill's timing fields and the kernel's execution timestamps."""
    stripped = copy.deepcopy(notebook)
    for key in TIMING_KEYS:
        stripped["metadata"].get("papermill", {}).pop(key, None)
    for cell in stripped["cells"]:
        cell["metadata"].pop("execution", None)  # iopub/shell timestamps
        for key in TIMING_KEYS:
            cell["metadata"].get("papermill", {}).pop(key, None)
    return stripped


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON values first differ, as a readable path (for failure messages)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {str(a)[:200]!r} != {str(b)[:200]!r}"


@pytest.mark.build
def test_processed_tables_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (files(builds[n] / "data" / "processed", "*.csv", "*.json") for n in VARIANTS)
    assert "indicators.csv" in a and "validation.json" in a
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"differ between two clean builds: {differing}"


@pytest.mark.build
def test_exhibit_figures_and_data_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (exhibit_files(builds[n]) for n in VARIANTS)
    assert any(name.endswith(".png") for name in a) and any(name.endswith(".csv") for name in a)
    assert sorted(a) == sorted(b)
    # the build record's own tables (step timings) describe the build, not the data
    differing = [
        name for name in a if a[name] != b[name] and name.split("/")[0] not in BUILD_RECORD_PAGES
    ]
    assert not differing, f"differ between two clean builds: {differing}"


@pytest.mark.build
def test_executed_notebooks_are_identical_apart_from_timing(builds: dict[str, Path]) -> None:
    a, b = (pages(builds[n]) for n in VARIANTS)
    for page in sorted(set(a) - BUILD_RECORD_PAGES):
        left, right = (
            json.loads(without_build_date(json.dumps(without_timing(x)).encode()))
            for x in (a[page], b[page])
        )
        assert left == right, f"reports/{page}.ipynb: {first_difference(left, right)}"


@pytest.mark.build
def test_rendered_pages_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (files(builds[n] / "reports" / "_site", "*.html") for n in VARIANTS)
    assert "index.html" in a and sorted(a) == sorted(b)
    record = {f"{page}.html" for page in BUILD_RECORD_PAGES}
    differing = [
        name
        for name in sorted(set(a) - record)
        if without_build_date(a[name]) != without_build_date(b[name])
    ]
    assert not differing, f"differ between two clean builds: {differing}"


def test_papermill_run_specific_fields_are_made_stable(tmp_path: Path) -> None:
    """The runner replaces papermill's random cell id and temporary output path (unit check)."""
    injected = new_code_cell("shock_year = 2021", metadata={"tags": ["injected-parameters"]})
    injected["id"] = "5373815f"
    notebook = new_notebook(cells=[new_code_cell("x = 1"), injected])
    notebook.metadata["papermill"] = {
        "output_path": "/scratch/build/reports/.index.ipynb.k2j.tmp.ipynb"
    }
    executed = tmp_path / ".index.ipynb.k2j.tmp.ipynb"
    nbformat.write(notebook, executed)
    normalise_executed(executed, Path("reports/index.ipynb"))
    result = json.loads(executed.read_text(encoding="utf-8"))
    assert result["cells"][1]["id"] == INJECTED_CELL_ID
    assert result["cells"][0]["id"] == notebook.cells[0]["id"]
    assert result["metadata"]["papermill"]["output_path"] == "reports/index.ipynb"
