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


POVERTY = "data/raw/coneval/pobreza_nacional_2008_2018.csv"


def test_an_absurd_value_is_refused_by_make_snapshot_and_make_all(built_copy: Path) -> None:
    """41.9% poverty edited to 4.19e300: `make snapshot` refuses with one line naming the cell and
    the rule and rewrites nothing; `make all` refuses too and marks the site; restored, it builds."""
    raw = built_copy / POVERTY
    kept = raw.read_text(encoding="utf-8")
    raw.write_text(kept.replace(",41.9\n", ",4.19e300\n"), encoding="utf-8")
    before = tree_digest(built_copy / "data/raw")
    snapshot = run_make(built_copy, "snapshot")
    lines = error_lines(snapshot)
    assert snapshot.returncode != 0 and len(lines) == 1, snapshot.stderr
    assert f"{POVERTY}: row 2, field '2018'" in lines[0] and "4.19e+300" in lines[0]
    assert "rule: range for a share" in lines[0]
    assert tree_digest(built_copy / "data/raw") == before
    build = run_make(built_copy, "all")
    assert build.returncode != 0 and len(error_lines(build)) == 1
    assert_marked(built_copy)
    raw.write_text(kept, encoding="utf-8")
    assert_rebuilt_clean(built_copy)


def test_a_failing_notebook_marks_its_own_page(built_copy: Path) -> None:
    """A notebook that raises: make all stops with one line naming notebook and cell; the old
    page says it could not be rebuilt, the others that the build failed; fixed, all is clean."""
    import json

    notebook = built_copy / "notebooks" / "12_methods.ipynb"
    kept = notebook.read_text(encoding="utf-8")
    cells = json.loads(kept)
    code = next(
        c for c in cells["cells"] if c["cell_type"] == "code" and "import" in "".join(c["source"])
    )
    code["source"] = ["raise ValueError('a careless edit')\n", *code["source"]]
    notebook.write_text(json.dumps(cells, indent=1) + "\n", encoding="utf-8")
    build = run_make(built_copy, "all")
    lines = error_lines(build)
    assert build.returncode != 0 and len(lines) == 1, build.stderr
    assert "notebooks/12_methods.ipynb (page methods): cell " in lines[0]
    assert "ValueError: a careless edit" in lines[0]
    methods = (built_copy / "reports/_site/methods.html").read_text(encoding="utf-8")
    index = (built_copy / "reports/_site/index.html").read_text(encoding="utf-8")
    assert "This page could not be rebuilt" in methods and "step run-notebook" in methods
    assert "the last build failed" in index
    notebook.write_text(kept, encoding="utf-8")
    assert_rebuilt_clean(built_copy)
