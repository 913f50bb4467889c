"""Committed notebooks carry no outputs: outputs live in the executed copies and rendered pages."""

from __future__ import annotations

import json


def strip_outputs(text: str) -> str:
    """The notebook JSON with code outputs and execution counts removed (cell ids and tags kept),
    in nbformat's on-disk layout (1-space indent, trailing newline)."""
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    notebook.get("metadata", {}).pop("papermill", None)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
