"""Run one notebook with papermill: parameters checked first, explicit kernel, atomic output.

A notebook that raises leaves no output under the target's name: the partly executed copy is kept
as `build/failed/<name>.FAILED.ipynb`, and the error names the notebook and the cell.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_path
from analysis.params import Params, load_params, notebook_params

#: Kernel the Makefile registers inside the project's virtual environment.
KERNEL_NAME = "mexico-cf"
FAILED_DIR = Path("build/failed")


class NotebookFailed(Exception):
    """A notebook raised while it ran; the message names the notebook and the cell."""


def declared_parameters(notebook: str | Path) -> list[str]:
    """Names assigned in the notebook's cell tagged `parameters` (read without starting a kernel)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            tree = ast.parse(source)
            names: list[str] = []
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                names.extend(t.id for t in targets if isinstance(t, ast.Name))
            return names
    return []


def _describe_cell(notebook: Path, executed: Path) -> str:
    """Name the failing cell by its 1-based position in the source notebook and its first line.

    The executed copy has extra cells (papermill's injected parameters and error banner), so the
    failing cell is found by its error output and matched to the source notebook by cell id.
    """
    executed_cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    failing = next(
        (
            c
            for c in executed_cells
            if any(o.get("output_type") == "error" for o in c.get("outputs", []))
        ),
        None,
    )
    if failing is None:
        return "a cell"
    source_cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    position = next(
        (i + 1 for i, cell in enumerate(source_cells) if cell.get("id") == failing.get("id")), None
    )
    text = "".join(failing["source"]) if isinstance(failing["source"], list) else failing["source"]
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    where = f"cell {position}" if position else "a cell"
    return f"{where} (`{first_line[:60]}`)"


def resolve_values(
    notebook: str | Path, params: Params | str | Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check the parameters (a loaded Params, or params.yaml plus overrides) and return the values
    this notebook declares."""
    if not isinstance(params, Params):
        params = load_params(params, overrides)
    return notebook_params(params, declared_parameters(notebook), str(notebook))


def run_notebook(
    notebook: str | Path,
    output: str | Path,
    params_path: str | Path = "params.yaml",
    kernel: str = KERNEL_NAME,
    overrides: dict[str, Any] | None = None,
    failed_dir: Path = FAILED_DIR,
) -> Path:
    """Execute `notebook` into `output` (atomically) with the checked parameters and `kernel`."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook, output = Path(notebook), Path(output)
    values = resolve_values(notebook, params_path, overrides)
    failed_copy = Path(failed_dir) / f"{output.stem}.FAILED.ipynb"
    with atomic_path(output, suffix=".ipynb") as tmp:
        try:
            papermill.execute_notebook(
                str(notebook),
                str(tmp),
                parameters=values,
                kernel_name=kernel,
                cwd=str(Path.cwd()),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            failed_copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, failed_copy)
            raise NotebookFailed(
                f"{notebook}: {_describe_cell(notebook, tmp)} raised "
                f"{exc.ename}: {exc.evalue} -- partly executed copy kept at {failed_copy}"
            ) from None
    failed_copy.unlink(missing_ok=True)
    return output
