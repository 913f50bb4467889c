"""`make bench`: the pure parts (targets, report, table, repository copy). Nothing here is timed."""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from tools import bench
from tools.bench import (
    Measurements,
    _code_cells,
    build_report,
    evaluate_targets,
    exec_notebook_in_process,
    markdown_table,
)

from helpers import ROOT, copy_checkout, make_env

MACHINE = {
    "cores": 2,
    "memory_gb": 24.0,
    "python": "3.11.7",
    "platform": "Linux",
    "make": "GNU Make 4.3",
    "renderer": "nbconvert",
}


def measurements(**changes: object) -> Measurements:
    values: dict[str, object] = {
        "clean_s": 42.0,
        "noop_s": 0.2,
        "touch_notebook_s": 9.5,
        "clean_j1_s": 80.0,
        "clean_j2_s": 45.0,
        "peak_rss_mb": {"01_index": 310.0, "02_data": 280.0},
        "notebook_wall_s": {"01_index": 5.0, "02_data": 4.0},
        "inprocess_s": {"validate": 2.0, "clean": 1.0, "notebook 01_index": 1.0},
    }
    values.update(changes)
    return Measurements(**values)  # type: ignore[arg-type]


def test_targets_met() -> None:
    targets = evaluate_targets(measurements())
    assert [t.name for t in targets] == [
        "clean make all",
        "no-op make all",
        "make -j2 vs -j1 (clean)",
        "peak memory 01_index",
        "peak memory 02_data",
    ]
    assert all(t.met for t in targets)


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"clean_s": 61.0}, "clean make all"),
        ({"noop_s": 1.5}, "no-op make all"),
        ({"clean_j2_s": 80.0}, "make -j2 vs -j1 (clean)"),
        ({"peak_rss_mb": {"01_index": 650.0}}, "peak memory 01_index"),
    ],
)
def test_each_target_can_be_missed(changes: dict[str, object], missed: str) -> None:
    targets = {t.name: t for t in evaluate_targets(measurements(**changes))}
    assert not targets[missed].met
    assert all(t.met for name, t in targets.items() if name != missed)


def test_overhead_ratio() -> None:
    m = measurements()
    assert m.inprocess_total_s == 4.0 and m.overhead_ratio == pytest.approx(10.5)
    assert measurements(inprocess_s={}).overhead_ratio == float("inf")


def test_report_is_json_with_machine_measurements_and_targets() -> None:
    report = build_report(measurements(noop_s=2.0), MACHINE)
    again = json.loads(json.dumps(report))
    assert again["machine"] == MACHINE
    assert again["measurements"]["overhead_ratio"] == pytest.approx(10.5)
    assert again["all_met"] is False
    assert {t["name"]: t["met"] for t in again["targets"]}["no-op make all"] is False


def test_markdown_table() -> None:
    table = markdown_table(build_report(measurements(noop_s=2.0), MACHINE))
    lines = table.splitlines()
    assert lines[0] == "| Measurement | Value | Target | Met |" and lines[1] == "|---|---|---|---|"
    rows = [line for line in lines if line.startswith("| ")][1:]
    assert all(line.count("|") == 5 for line in rows)
    assert "| clean make all | 42.0 s | < 60 s | yes |" in lines
    assert "| no-op make all | 2.00 s | < 1 s | **no** |" in lines
    assert "| peak memory 01_index | 310 MB (5.0 s) | < 600 MB | yes |" in lines
    assert any(line.startswith("| overhead ratio") and "10.5x" in line for line in lines)
    assert lines[-1].startswith("Machine: 2 cores, 24.0 GB, Python 3.11.7")


def test_bench_copies_the_repository_with_the_tests_helpers() -> None:
    """One implementation of the repository copy, in tests/helpers.py, for tests and bench."""
    helpers_file = ROOT / "tests" / "helpers.py"
    for shared in (bench.copy_checkout, bench.make_env, bench.run_make):
        assert Path(inspect.getsourcefile(shared) or "") == helpers_file, shared.__name__


def test_unbuilt_copy_links_the_venv_and_never_triggers_a_reinstall(tmp_path: Path) -> None:
    copy = copy_checkout(tmp_path / "repo", built=False)
    assert (copy / ".venv").is_symlink() and (copy / ".venv").resolve() == (
        ROOT / ".venv"
    ).resolve()
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    for name in ("requirements.lock", "pyproject.toml"):
        assert (copy / name).stat().st_mtime < stamp, name
        assert (copy / name).read_bytes() == (ROOT / name).read_bytes()
    assert (copy / "data" / "raw" / "datapackage.json").is_file()
    assert (copy / "reports" / "_quarto.yml").is_file()
    assert sorted(p.name for p in (copy / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    for generated in ("data/processed", "build", "reports/_site"):
        assert not (copy / generated).exists(), generated
    assert not list((copy / "reports").glob("*.ipynb"))
    assert not list(copy.rglob("__pycache__"))


def test_copy_refuses_an_uninstalled_venv(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="make setup"):
        copy_checkout(tmp_path / "copy", built=True, root=tmp_path)


def test_make_env_drops_a_parent_makes_jobserver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKEFLAGS", " -j2 --jobserver-auth=fifo:/run/jobserver-x")
    monkeypatch.setenv("MAKELEVEL", "1")
    env = make_env({"TZ": "UTC"})
    assert "MAKEFLAGS" not in env and "MAKELEVEL" not in env
    assert env["TZ"] == "UTC" and env["PATH"] == os.environ["PATH"]


def test_notebook_cells_run_in_process(tmp_path: Path) -> None:
    notebook = tmp_path / "nb.ipynb"
    cells = [
        new_markdown_cell("# title"),
        new_code_cell("shock_year = 1999", metadata={"tags": ["parameters"]}),
        new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])"),
        new_code_cell(f"open({str(tmp_path / 'seen.txt')!r}, 'w').write(str(shock_year))"),
    ]
    nbformat.write(new_notebook(cells=cells), notebook)
    assert [tags for tags, _ in _code_cells(notebook)] == [["parameters"], [], []]
    assert "%matplotlib" not in _code_cells(notebook)[1][1]
    params = tmp_path / "params.yaml"
    params.write_text("shock_year: 2021\n", encoding="utf-8")
    exec_notebook_in_process(notebook, params)
    assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == "2021"
