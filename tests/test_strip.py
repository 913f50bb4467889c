"""make strip: nbconvert's ClearOutputPreprocessor gives the same file the hand-written strip gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.site.strip import strip_outputs
from helpers import ROOT


def reference_strip(text: str) -> str:
    """The previous hand-written strip, kept as the reference for the on-disk result."""
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    notebook.get("metadata", {}).pop("papermill", None)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


NOTEBOOK = {
    "cells": [
        {"cell_type": "raw", "id": "r1", "metadata": {}, "source": "---\ntitle: Á\n---"},
        {
            "cell_type": "code",
            "id": "c1",
            "execution_count": 7,
            "metadata": {"tags": ["parameters"], "collapsed": True, "execution": {"a": "t"}},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}],
            "source": ["shock_year = 2020\n", "ñ = 1"],
        },
        {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Título"},
    ],
    "metadata": {"kernelspec": {"name": "mexico-cf"}, "papermill": {"duration": 1.0}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_notebook_with_outputs_strips_like_the_reference() -> None:
    text = json.dumps(NOTEBOOK, indent=1, ensure_ascii=False) + "\n"
    stripped = strip_outputs(text)
    assert stripped == reference_strip(text)
    cell = json.loads(stripped)["cells"][1]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"] == {"tags": ["parameters"], "collapsed": True}  # tags and view kept
    assert stripped != text


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "reports").glob("*.ipynb")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_real_notebooks_strip_to_the_same_bytes_as_the_reference(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert strip_outputs(text) == reference_strip(text)
