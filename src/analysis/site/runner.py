"""Run one notebook with papermill: parameters checked first, explicit kernel, atomic output.

A notebook that raises leaves no output under the target's name: the partly executed copy is kept
as `build/failed/<name>.FAILED.ipynb`, and the error names the notebook and the cell. SIGTERM (as
sent by a CI timeout or `kill`) is turned into an exception for the duration of a run, so the
temporary output is removed and the kernel shut down exactly as for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from analysis.core import paths
from analysis.core.atomic import atomic_path, same_bytes

# Defined with the other errors, so the command line catches them without importing this module.
from analysis.core.errors import NotebookFailed, PageError
from analysis.core.params import Params, load_params, notebook_params
from analysis.report.exhibits import DIR_ENV, PAGE_ENV
from analysis.site.pages import KERNEL_NAME, PAGES, Page

FAILED_DIR = paths.FAILED_DIR
#: Where the runner writes a page's notebook (placeholders filled, sections chosen) before running it.
PAGE_SOURCES_DIR = paths.BUILD_DIR / "pages"
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_SECTION_TAG = "section:"


#: Id given to papermill's injected-parameters cell (papermill draws a random one per run).
INJECTED_CELL_ID = "injected-parameters"


class NotebookInterrupted(KeyboardInterrupt):
    """SIGTERM arrived while a notebook ran.

    A KeyboardInterrupt, so it unwinds like Ctrl-C: papermill and nbclient do not swallow it,
    nbclient shuts the kernel down on the way out, the atomic temporary output is removed, and
    the command line reports an interruption (exit 130) instead of dying with no cleanup.
    """


@contextlib.contextmanager
def sigterm_raises(notebook: str | Path) -> Iterator[None]:
    """For the duration of the block, make SIGTERM raise NotebookInterrupted; restore the old handler after.

    Without this, the default SIGTERM action ends the process at once: the temporary output stays
    on disk and the kernel is orphaned. Signal handlers can only be set from the main thread; from
    any other thread the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        # A second SIGTERM during the cleanup must not cut the cleanup short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise NotebookInterrupted(f"{notebook}: stopped by {signal.Signals(signum).name}")

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _kernel_manager_class() -> type:
    """nbclient's kernel manager, made quiet at its source (so a build prints one line per page):

    - IPC transport (Unix sockets in Jupyter's runtime folder) instead of TCP on localhost: the
      kernel then has no reason to log "Kernel is running over TCP without encryption";
    - no interrupt before shutting the kernel down: jupyter_client sends SIGINT first, which an
      idle-but-busy kernel reports as "KeyboardInterrupt caught in kernel." on stderr. nbclient
      only shuts the kernel down after the last cell (or after an error or Ctrl-C, when the
      shutdown request and, failing that, the kill still stop it).
    """
    import os
    import uuid

    from jupyter_client import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir
    from traitlets import CaselessStrEnum, default

    class QuietKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _unique_ipc_path(self) -> str:
            # jupyter_client numbers IPC sockets `<ip>-1`, `<ip>-2`, ... from a shared default
            # prefix, so kernels started in parallel (make -j) would share sockets: one per kernel.
            runtime = jupyter_runtime_dir()
            os.makedirs(runtime, exist_ok=True)
            return os.path.join(runtime, f"kernel-{uuid.uuid4().hex[:12]}-ipc")

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return QuietKernelManager


def reap_kernels(grace: float = 3.0) -> None:
    """Stop every process this one started that still runs (the kernel and anything it spawned):
    terminate, then kill what is left after `grace` seconds, and wait for each. Make must not
    return while a kernel still runs.

    The children are asked of the operating system, not of the kernel manager: a signal that
    lands while a kernel is being launched leaves a running kernel the manager never recorded.
    """
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive)


def declared_parameters(notebook: str | Path | dict[str, Any]) -> list[str]:
    """Names assigned in the notebook's cell tagged `parameters`, in order, as papermill reads the
    cell (without starting a kernel). `notebook` is a path, or a notebook already in memory (a
    page's prepared cells). Read with papermill's Python translator, the one it uses when it runs
    a page: pages run on the project's Python kernel, named explicitly, so a notebook's own
    kernelspec (which `papermill.inspect_notebook` would require) does not matter."""
    from papermill.translators import PythonTranslator

    if not isinstance(notebook, dict):
        notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return [p.name for p in PythonTranslator.inspect({"source": source})]
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


def check_figures(executed: Path, name: str) -> None:
    """Every cell with a `fig-cap` option drew a figure (Quarto numbers figures by these cells, so
    a caption without an image shifts every later number); else NotebookFailed naming the cell."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        captioned = any(
            line.startswith("#|") and line[2:].strip().startswith("fig-cap:")
            for line in source.splitlines()
        )
        drawn = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if captioned and not drawn:
            raise NotebookFailed(
                f"{name}: cell {cell.get('id')} has a fig-cap but drew no figure "
                "(choose its page's sections in src/analysis/site/pages.py)"
            )


def normalise_executed(executed: Path, output: Path) -> None:
    """Remove what papermill makes different on every run from an executed notebook.

    Papermill gives its injected-parameters cell a random id (which nbconvert copies into the page
    as `id="cell-id=..."`) and records the temporary file's absolute, random path as
    `metadata.papermill.output_path`. Both are replaced by stable values, so two builds of the same
    inputs give the same notebook apart from papermill's timing fields, and the same HTML.
    """
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = INJECTED_CELL_ID
    papermill_meta = notebook.metadata.get("papermill")
    if papermill_meta is not None:
        papermill_meta["output_path"] = output.as_posix()
    nbformat.write(notebook, executed)


def page_parameter_names(notebook: str | Path, pages: tuple[Page, ...] = PAGES) -> set[str]:
    """Names of the page parameters the page list gives this notebook (not analysis parameters)."""
    stem = Path(notebook).stem
    return {name for page in pages if page.stem == stem for name in page.params}


#: Papermill's per-run timing fields (notebook and cell `metadata.papermill`); with nbclient's
#: per-cell `metadata.execution` timestamps, the only part of an executed page that differs
#: between two runs of the same inputs.
TIMING_FIELDS = ("start_time", "end_time", "duration")


def _without_timings(path: Path) -> dict[str, Any]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for meta in [notebook.get("metadata", {}), *(c.get("metadata", {}) for c in notebook["cells"])]:
        meta.pop("execution", None)
        for field in TIMING_FIELDS:
            meta.get("papermill", {}).pop(field, None)
    return notebook


def same_page(new: Path, old: Path) -> bool:
    """Whether two executed notebooks are equal apart from papermill's timing fields (an equal
    rerun then leaves the page untouched, so the site is not rendered again)."""
    return _without_timings(new) == _without_timings(old)


def resolve_values(
    notebook: str | Path, params: Params | str | Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check the parameters (a loaded Params, or params.yaml plus overrides) and return the
    analysis parameters this notebook declares (page parameters left out)."""
    if not isinstance(params, Params):
        params = load_params(params, overrides)
    page_names = page_parameter_names(notebook)
    declared = [name for name in declared_parameters(notebook) if name not in page_names]
    return notebook_params(params, declared, str(notebook))


def _fill(text: str, values: dict[str, str], where: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise PageError(f"{where}: placeholder {{{{ {name} }}}} has no value in the page list")
        return values[name]

    return _PLACEHOLDER.sub(value, text)


def page_source(notebook: dict[str, Any], page: Page) -> dict[str, Any]:
    """The notebook as `page` runs it: cells tagged `section:<name>` kept only if the page lists
    `<name>` (and the tag dropped), `{{ name }}` placeholders of raw and markdown cells and of `#|`
    cell options filled from the page list, cells numbered `cell-NN` in page order (stable ids
    in the HTML). Code itself is never templated: values reach it as papermill parameters."""
    where = f"{page.notebook} for page {page.name}"
    values = page.fill()
    cells = []
    for cell in notebook["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        sections = [t.removeprefix(_SECTION_TAG) for t in tags if t.startswith(_SECTION_TAG)]
        if sections and not set(sections) & set(page.sections):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] in ("raw", "markdown"):
            source = _fill(source, values, where)
        else:
            lines = source.splitlines(keepends=True)
            options = 0
            while options < len(lines) and lines[options].startswith("#|"):
                options += 1
            source = _fill("".join(lines[:options]), values, where) + "".join(lines[options:])
        metadata = dict(cell.get("metadata", {}))
        kept_tags = [t for t in tags if not t.startswith(_SECTION_TAG)]
        if kept_tags:
            metadata["tags"] = kept_tags
        else:
            metadata.pop("tags", None)  # no empty tag list (nbconvert turns tags into classes)
        cells.append(
            {**cell, "metadata": metadata, "source": source, "id": f"cell-{len(cells):02d}"}
        )
    prepared = {**notebook, "cells": cells}
    # The notebook given, as the page runs it (not the file at page.notebook, which the caller
    # may not have read, and which is relative to the working folder).
    missing = set(page.params) - set(declared_parameters(prepared))
    if missing:
        raise PageError(f"{where}: parameters cell lacks page parameter(s) {sorted(missing)}")
    from analysis.site.render import front_matter

    title = front_matter(prepared).get("title")
    if title != page.title:
        raise PageError(
            f"{where}: front matter title {title!r} is not the page list's {page.title!r}"
        )
    return prepared


def write_page_source(notebook: str | Path, page: Page, folder: Path = PAGE_SOURCES_DIR) -> Path:
    """Write `page_source` of `notebook` to `<folder>/<page>.ipynb` (only if it changed)."""
    from analysis.core.atomic import write_text_if_changed

    loaded = json.loads(Path(notebook).read_text(encoding="utf-8"))
    target = Path(folder) / f"{page.name}.ipynb"
    text = json.dumps(page_source(loaded, page), indent=1, ensure_ascii=False) + "\n"
    write_text_if_changed(target, text)
    return target


def run_notebook(
    notebook: str | Path,
    output: str | Path,
    params_path: str | Path = paths.PARAMS_FILE,
    kernel: str = KERNEL_NAME,
    overrides: dict[str, Any] | None = None,
    failed_dir: Path = FAILED_DIR,
    page: Page | None = None,
    page_sources: Path = PAGE_SOURCES_DIR,
) -> Path:
    """Execute `notebook` into `output` (atomically) with the checked parameters and `kernel`.

    With `page`, the notebook run is `page_source` of it (written under `page_sources`) and the
    page's parameters are injected beside the analysis parameters.
    SIGTERM during the run raises NotebookInterrupted (see `sigterm_raises`): no output is kept.
    """
    notebook, output = Path(notebook), Path(output)
    values = resolve_values(notebook, params_path, overrides)
    # messages name the notebook a user edits (and the page), not the prepared copy that runs
    label = f"{notebook} (page {page.name})" if page is not None else str(notebook)
    if page is not None:
        if Path(page.notebook).name != notebook.name:
            raise PageError(f"page {page.name} is made from {page.notebook}, not {notebook}")
        notebook = write_page_source(notebook, page, page_sources)
        values = {**values, **page.params}
    failed_copy = Path(failed_dir) / f"{output.stem}.FAILED.ipynb"
    with sigterm_raises(notebook), exhibit_folder(output):
        try:
            _execute(notebook, output, values, kernel, failed_copy, page, label)
        except KeyboardInterrupt:
            # the temporary output is already gone (atomic_path); the kernel must be too before
            # this step, and so make, returns
            reap_kernels()
            raise
    failed_copy.unlink(missing_ok=True)
    return output


def exhibits_of(output: Path) -> Path:
    """The folder of the files beside a page (figures, CSVs): `<reports>/exhibits/<page>`."""
    return output.parent / paths.EXHIBITS_DIR.name / output.stem


@contextlib.contextmanager
def exhibit_folder(output: Path) -> Iterator[Path]:
    """Let the notebook run for `output` write its exhibit files into a staging folder, and put
    them beside the page only when the run succeeds (files whose bytes did not change are left
    untouched, files the page no longer makes are removed); a failed run keeps the old ones."""
    staging = paths.BUILD_DIR / "exhibits" / output.stem
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    saved = {key: os.environ.get(key) for key in (PAGE_ENV, DIR_ENV)}
    os.environ[PAGE_ENV] = output.stem
    os.environ[DIR_ENV] = str(staging.resolve())
    try:
        yield staging
        _sync_folder(staging, exhibits_of(output))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(staging, ignore_errors=True)


def _sync_folder(source: Path, target: Path) -> None:
    """Make `target` hold exactly the files of `source`, rewriting only those that differ."""
    made = {p.name for p in source.iterdir() if p.is_file()}
    if not made:
        shutil.rmtree(target, ignore_errors=True)
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(made):
        new, old = source / name, target / name
        if not same_bytes(new, old):
            shutil.copyfile(new, old)
    for stale in target.iterdir():
        if stale.is_file() and stale.name not in made:
            stale.unlink()


def _execute(
    notebook: Path,
    output: Path,
    values: dict[str, Any],
    kernel: str,
    failed_copy: Path,
    page: Page | None,
    label: str,
) -> None:
    """Run the notebook with papermill into a temporary copy of `output`, then normalise it."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with atomic_path(output, suffix=".ipynb", if_changed=True, same=same_page) as tmp:
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
                kernel_manager_class=_kernel_manager_class(),
            )
        except PapermillExecutionError as exc:
            failed_copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, failed_copy)
            raise NotebookFailed(
                f"{label}: {_describe_cell(notebook, tmp)} raised "
                f"{exc.ename}: {exc.evalue} -- partly executed copy kept at {failed_copy}"
            ) from None
        check_figures(tmp, page.name if page else str(notebook))
        normalise_executed(tmp, output)
