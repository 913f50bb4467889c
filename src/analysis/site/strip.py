"""Committed notebooks carry no outputs: outputs live in the executed copies and rendered pages."""

from __future__ import annotations

import json

#: Cell metadata that only describes a past run (JupyterLab's execution timestamps).
RUN_METADATA = frozenset({"execution"})


def strip_outputs(text: str) -> str:
    """The notebook JSON with code outputs and execution counts removed (cell ids and tags kept),
    in nbformat's on-disk layout (1-space indent, trailing newline).

    nbconvert's ClearOutputPreprocessor clears the code cells; the keys and line splitting of the
    file are kept as they were, so stripping a clean notebook changes no byte.
    """
    import nbformat
    from nbconvert.preprocessors import ClearOutputPreprocessor

    notebook = nbformat.from_dict(json.loads(text))
    ClearOutputPreprocessor(remove_metadata_fields=set(RUN_METADATA)).preprocess(notebook, {})
    for cell in notebook.cells:  # the preprocessor clears code cells only
        for field in RUN_METADATA:
            cell.get("metadata", {}).pop(field, None)
    notebook.get("metadata", {}).pop("papermill", None)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
