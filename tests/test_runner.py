"""The notebook runner: parameters injected, explicit kernel, failures leave no valid-looking output."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.core.errors import ParameterError
from analysis.site.runner import NotebookFailed, run_notebook


def make_notebook(path: Path, *sources: str) -> Path:
    cells = [new_code_cell("shock_year = 1999", metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(source) for source in sources]
    metadata = {
        "kernelspec": {"name": "mexico-cf", "display_name": "mexico-cf", "language": "python"}
    }
    nbformat.write(new_notebook(cells=cells, metadata=metadata), path)
    return path


@pytest.fixture
def params(tmp_path: Path) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text("shock_year: 2021\n", encoding="utf-8")
    return path


def outputs_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return json.dumps([c.get("outputs", []) for c in cells])


def test_runs_with_injected_parameters(tmp_path: Path, params: Path) -> None:
    notebook = make_notebook(tmp_path / "nb.ipynb", "print('year', shock_year)")
    output = run_notebook(
        notebook, tmp_path / "out" / "page.ipynb", params, failed_dir=tmp_path / "failed"
    )
    assert "year 2021" in outputs_text(output)
    executed = json.loads(output.read_text(encoding="utf-8"))
    assert executed["metadata"]["kernelspec"]["name"] == "mexico-cf"
    assert [p.name for p in output.parent.iterdir()] == ["page.ipynb"]


def test_failing_cell_keeps_no_valid_output(tmp_path: Path, params: Path) -> None:
    notebook = make_notebook(tmp_path / "nb.ipynb", "x = 1", "raise ValueError('boom in cell')")
    target = tmp_path / "out" / "page.ipynb"
    failed = tmp_path / "failed"
    with pytest.raises(NotebookFailed) as err:
        run_notebook(notebook, target, params, failed_dir=failed)
    message = str(err.value)
    assert (
        str(notebook) in message
        and "cell 3 (`raise ValueError" in message
        and "ValueError: boom in cell" in message
    )
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file either
    kept = failed / "page.FAILED.ipynb"
    assert kept.exists() and "boom in cell" in outputs_text(kept)


def test_bad_parameter_stops_before_any_kernel(tmp_path: Path) -> None:
    notebook = make_notebook(tmp_path / "nb.ipynb", "raise SystemExit('a kernel must not start')")
    bad = tmp_path / "params.yaml"
    bad.write_text("shock_yaer: 2020\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="unknown parameter 'shock_yaer'"):
        run_notebook(notebook, tmp_path / "page.ipynb", bad, failed_dir=tmp_path / "failed")
    assert not (tmp_path / "page.ipynb").exists()


def test_a_captioned_cell_without_a_figure_fails_the_page(tmp_path: Path, params: Path) -> None:
    notebook = make_notebook(
        tmp_path / "nb.ipynb", "#| label: fig-x\n#| fig-cap: \"A chart\"\nprint('no chart')"
    )
    with pytest.raises(NotebookFailed, match="has a fig-cap but drew no figure"):
        run_notebook(notebook, tmp_path / "page.ipynb", params, failed_dir=tmp_path / "failed")
    assert not (tmp_path / "page.ipynb").exists()


def test_reap_kernels_stops_children_the_kernel_manager_never_recorded() -> None:
    """An interrupt can land between a kernel's launch and its being recorded; the reaper asks
    the operating system for this process's children, so that kernel stops too, even one that
    ignores SIGTERM (killed after the grace period)."""
    import subprocess
    import sys

    import psutil

    from analysis.site.runner import reap_kernels

    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"
    stubborn = subprocess.Popen([sys.executable, "-c", code])
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        reap_kernels(grace=1.0)
        # the reaper waited for them (so Popen cannot see their status): they no longer exist
        assert not psutil.Process().children(recursive=True)
        assert not psutil.pid_exists(polite.pid) and not psutil.pid_exists(stubborn.pid)
    finally:
        for proc in (stubborn, polite):
            if proc.poll() is None:
                proc.kill()
