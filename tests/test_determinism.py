"""Determinism: two clean builds of the same inputs give the same bytes.

Two copies of the repository (`tools.bench.copy_repo`) are built side by side with `make all`,
with different hash seeds and time zones and at different paths, so set ordering, local time and
absolute paths cannot leak into an output unnoticed. Then:

- every table in `data/processed/` (*.csv, *.json) is byte-identical;
- every figure (the PNG bytes inside the executed notebooks) is byte-identical;
- the executed notebooks are identical once papermill's timing fields and the kernel's execution
  timestamps are removed;
- the rendered pages in `reports/_site/` are byte-identical.

The reproducibility page records the build itself (its date, each step's wall time), so its
outputs differ by design; it is compared for figures only (see BUILD_RECORD_PAGES).
"""

from __future__ import annotations

import base64
import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from tools.bench import copy_repo, make_env

from analysis.site.runner import INJECTED_CELL_ID, normalise_executed

BUILD_TIMEOUT = 600
#: Pages whose purpose is to describe the build that made them (date, step timings).
BUILD_RECORD_PAGES = frozenset({"reproducibility"})
#: Papermill's per-run timing keys, in the notebook's and in each cell's metadata.
TIMING_KEYS = ("start_time", "end_time", "duration")
#: Different seeds, time zones and paths for the two builds.
VARIANTS = {
    "a": {"PYTHONHASHSEED": "1", "TZ": "UTC"},
    "b": {"PYTHONHASHSEED": "2", "TZ": "America/Mexico_City"},
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two clean builds, run concurrently (each `make all` is mostly one busy process)."""
    base = tmp_path_factory.mktemp("determinism")
    copies = {name: copy_repo(base / name / "repo") for name in VARIANTS}
    running = {
        name: subprocess.Popen(
            ["make", "all"],
            cwd=copies[name],
            env=make_env(VARIANTS[name]),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        for name in VARIANTS
    }
    try:
        for name, proc in running.items():
            output, _ = proc.communicate(timeout=BUILD_TIMEOUT)
            assert proc.returncode == 0, f"build {name} failed:\n{output[-3000:]}"
    finally:
        for proc in running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
    return copies


def files(folder: Path, *patterns: str) -> dict[str, bytes]:
    """Relative name -> bytes for the files matching `patterns` directly in `folder`."""
    return {p.name: p.read_bytes() for pattern in patterns for p in sorted(folder.glob(pattern))}


def pages(build: Path) -> dict[str, dict[str, Any]]:
    """Executed pages of a build (reports/<page>.ipynb), parsed."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((build / "reports").glob("*.ipynb"))
    }


def figures(notebook: dict[str, Any]) -> list[bytes]:
    """The PNG images in a notebook's outputs, decoded, in order."""
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png is not None:
                found.append(base64.b64decode("".join(png) if isinstance(png, list) else png))
    return found


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


def test_processed_tables_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (files(builds[n] / "data" / "processed", "*.csv", "*.json") for n in VARIANTS)
    assert "indicators.csv" in a and "validation.json" in a
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"differ between two clean builds: {differing}"


def test_figures_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (pages(builds[n]) for n in VARIANTS)
    assert sorted(a) == sorted(b) and a
    counted = 0
    for page in a:
        figures_a, figures_b = figures(a[page]), figures(b[page])
        assert len(figures_a) == len(figures_b), page
        for i, (x, y) in enumerate(zip(figures_a, figures_b, strict=True)):
            assert x == y, f"figure {i + 1} of page {page} differs between two clean builds"
        counted += len(figures_a)
    assert counted >= 1, "no figure found in any executed page"


def test_executed_notebooks_are_identical_apart_from_timing(builds: dict[str, Path]) -> None:
    a, b = (pages(builds[n]) for n in VARIANTS)
    for page in sorted(set(a) - BUILD_RECORD_PAGES):
        left, right = without_timing(a[page]), without_timing(b[page])
        assert left == right, f"reports/{page}.ipynb: {first_difference(left, right)}"


def test_rendered_pages_are_byte_identical(builds: dict[str, Path]) -> None:
    a, b = (files(builds[n] / "reports" / "_site", "*.html") for n in VARIANTS)
    assert "index.html" in a and sorted(a) == sorted(b)
    record = {f"{page}.html" for page in BUILD_RECORD_PAGES}
    differing = [name for name in sorted(set(a) - record) if a[name] != b[name]]
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
