"""Faults: an interrupted build leaves nothing that looks valid, and make never writes data/raw.

Each scenario runs in its own copy of the built checkout (`built_copy`: outputs and their
modification times copied, `.venv` a symlink to this checkout's, so nothing is installed):
`make all` stopped by SIGTERM while the pages are being built, then those pages rebuilt; one
notebook touched and its rebuild stopped by SIGINT, then rebuilt; an offline `make fetch`.
make runs in a new process group, so a signal reaches make and the step it runs as Ctrl-C or a
CI timeout would. Every wait is bounded; whatever a test started is killed in a finalizer.
(That a clean `make all` and `make clean` never write data/raw is checked by test_determinism
and test_pipeline.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import psutil
import pytest

from analysis.site.runner import NotebookInterrupted, sigterm_raises
from helpers import make_env, run_make, tree_digest

T = TypeVar("T")
BUILD_TIMEOUT = 600  # a clean build takes 1-2 minutes; this bounds a hung one


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05) -> T:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)  # polling period only: nothing is asserted about time
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def processes_in(folder: Path) -> list[psutil.Process]:
    """Processes whose working directory is inside `folder` (only ours: the folder is a tmp copy)."""
    root = folder.resolve()
    found = []
    for proc in psutil.process_iter(["cwd"], ad_value=None):
        cwd = proc.info.get("cwd")
        if cwd and Path(cwd).is_relative_to(root):
            found.append(proc)
    return found


def kernels_in(folder: Path) -> list[psutil.Process]:
    """The Jupyter kernels running in `folder` (papermill starts them with the build's cwd)."""
    kernels = []
    for proc in processes_in(folder):
        try:
            if any("ipykernel_launcher" in part for part in proc.cmdline()):
                kernels.append(proc)
        except psutil.Error:
            continue
    return kernels


def temporary_files(copy: Path) -> list[Path]:
    """Atomic-write leftovers (`.<name>.<random>.tmp*`) anywhere make writes."""
    return [
        path
        for folder in ("reports", "data", "build")
        if (copy / folder).exists()
        for path in (copy / folder).rglob(".*.tmp*")
    ]


@pytest.fixture
def pipeline(built_copy: Path) -> Iterator[Path]:
    """The test's copy of the built checkout; anything still running in it afterwards is killed."""
    yield built_copy
    for proc in processes_in(built_copy):
        with contextlib.suppress(psutil.Error):
            proc.kill()


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Process groups a test started; the finalizer kills any group still alive."""
    groups: list[subprocess.Popen[bytes]] = []
    yield groups
    for proc in groups:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def complete_page(path: Path) -> bool:
    """An executed page that ran to the end: papermill metadata and no error output."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    return "papermill" in notebook["metadata"] and not any(
        o["output_type"] == "error" for o in outputs
    )


def make_succeeds(copy: Path, *targets: str) -> None:
    """`make <targets>` in the copy, which must succeed."""
    result = run_make(copy, *targets, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def interrupt_make(
    copy: Path, signum: signal.Signals, started: list[subprocess.Popen[bytes]]
) -> tuple[int, str, set[str]]:
    """Start `make all` in its own process group, wait until a notebook runs (its atomic
    temporary output exists and its kernel is up), send `signum` to the whole group.

    make runs independent notebooks in parallel, so several pages may be running at that moment.
    Returns (make's exit code, everything it printed, the pages that were running).
    """
    reports = copy / "reports"
    log = copy.parent / f"make-{signum.name}.log"
    with log.open("wb") as sink:
        make = subprocess.Popen(
            ["make", "all"],
            cwd=copy,
            env=make_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's job would be
        )
    started.append(make)

    def running_notebook() -> Path | None:
        if make.poll() is not None:
            raise AssertionError(f"make ended ({make.returncode}) before a notebook ran")
        return next(iter(sorted(reports.glob(".*.tmp.ipynb"))), None)

    wait_for(running_notebook, timeout=BUILD_TIMEOUT, what="a notebook to start")
    wait_for(lambda: kernels_in(copy), timeout=120, what="a notebook's kernel")
    # .index.ipynb.<random>.tmp.ipynb -> index
    running = {temp.name.split(".")[1] for temp in reports.glob(".*.tmp.ipynb")}
    os.killpg(make.pid, signum)
    returncode = make.wait(timeout=120)
    return returncode, log.read_text(encoding="utf-8", errors="replace"), running


def assert_cleaned_up(copy: Path, returncode: int, output: str) -> None:
    """The interrupted step said so, its kernel is gone and no temporary file is left."""
    assert returncode != 0, output
    assert "error: interrupted; no partial output was kept" in output, output
    # make returns only after the interrupted step cleaned up: no kernel is left to wait for
    assert not kernels_in(copy), kernels_in(copy)
    assert not temporary_files(copy), temporary_files(copy)


@pytest.mark.build
def test_sigterm_while_pages_are_built_keeps_no_interrupted_page(
    pipeline: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    reports = pipeline / "reports"
    for page in reports.glob("*.ipynb"):  # the tables stay built: make all starts on the pages
        page.unlink()
    shutil.rmtree(reports / "_site")
    returncode, output, running = interrupt_make(pipeline, signal.SIGTERM, started)
    assert_cleaned_up(pipeline, returncode, output)
    # The pages that were running do not exist; a page that does exist ran to its end before
    # the signal (make runs notebooks in parallel); the site was never rendered.
    assert running
    for page in running:
        assert not (reports / f"{page}.ipynb").exists(), page
    for path in reports.glob("*.ipynb"):
        assert complete_page(path), f"{path.name} exists but did not run to its end"
    assert not (reports / "_site").exists()

    make_succeeds(pipeline, *(f"reports/{page}.ipynb" for page in sorted(running)))
    for page in running:  # the interrupted pages build on the next run
        assert complete_page(reports / f"{page}.ipynb")
    assert not temporary_files(pipeline) and not kernels_in(pipeline)


@pytest.mark.build
def test_sigint_while_rebuilding_a_page_keeps_only_the_old_pages(
    pipeline: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    reports = pipeline / "reports"
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in reports.glob("*.ipynb")}
    site_before = (reports / "_site" / "index.html").read_bytes()
    (pipeline / "notebooks" / "01_index.ipynb").touch()

    returncode, output, running = interrupt_make(pipeline, signal.SIGINT, started)
    assert_cleaned_up(pipeline, returncode, output)
    assert running == {"index"}
    # Every page that exists predates the run, unchanged: nothing new that looks valid.
    for path in reports.glob("*.ipynb"):
        assert path.name in before, f"{path.name} appeared during the interrupted run"
        assert (path.stat().st_mtime_ns, path.read_bytes()) == before[path.name], path.name
    assert (reports / "_site" / "index.html").read_bytes() == site_before

    make_succeeds(pipeline, "reports/index.ipynb")  # the interrupted page builds on the next run
    # The page ran to its end after the touch (its stamp is dated with the notebook); the page
    # itself keeps its date when its content is the same (see docs/DESIGN.md).
    stamp = pipeline / "build" / "stamps" / "pages" / "index"
    notebook = pipeline / "notebooks" / "01_index.ipynb"
    assert stamp.stat().st_mtime_ns >= notebook.stat().st_mtime_ns
    assert complete_page(reports / "index.ipynb")
    assert not temporary_files(pipeline) and not kernels_in(pipeline)


def offline_env() -> dict[str, str]:
    """An environment where every HTTP(S) request fails at once (a proxy on a closed port)."""
    dead = "http://127.0.0.1:9"
    env = make_env({k: dead for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    env.update({"NO_PROXY": "", "no_proxy": ""})
    env.pop("INEGI_API_TOKEN", None)
    return env


@pytest.mark.build
def test_failed_fetch_leaves_raw_data_untouched(pipeline: Path) -> None:
    """`make fetch` is all or nothing: offline it fails with an `error:` line, writing nothing."""
    raw = pipeline / "data" / "raw"
    before = tree_digest(raw)
    result = run_make(pipeline, "fetch", timeout=BUILD_TIMEOUT, env=offline_env())
    assert tree_digest(raw) == before, f"an offline make fetch changed data/raw:\n{result.stdout}"
    assert result.returncode != 0, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors, f"make fetch failed without an `error:` line:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr


def test_sigterm_raises_only_inside_a_notebook_run() -> None:
    """The runner's handler turns SIGTERM into NotebookInterrupted and restores the old handler."""
    before = signal.getsignal(signal.SIGTERM)
    with (
        pytest.raises(NotebookInterrupted, match=r"nb\.ipynb: stopped by SIGTERM"),
        sigterm_raises("nb.ipynb"),
    ):
        os.kill(os.getpid(), signal.SIGTERM)
        wait_for(lambda: False, timeout=10, what="SIGTERM to arrive")
    assert signal.getsignal(signal.SIGTERM) is before
    assert issubclass(NotebookInterrupted, KeyboardInterrupt)  # the CLI reports it, exit 130
