"""Faults: an interrupted build leaves nothing that looks valid, and make never writes data/raw.

The module works in one copy of the repository (`tools.bench.copy_repo`: sources, notebooks
and raw data copied, `.venv` a symlink to this checkout's, the lock dated before the venv's stamp
so nothing is installed), because a full build takes a while. The scenario, in file order:
a clean `make all` stopped by SIGTERM while its first notebook runs, then rebuilt; one notebook
touched and its rebuild stopped by SIGINT, then rebuilt; `make clean`; an offline `make fetch`.
Each test first makes the state it needs (`ensure_built`), so any one of them also runs alone.
make runs in a new process group, so a signal reaches make and the step it runs as Ctrl-C or a
CI timeout would. Every wait is bounded; whatever a test started is killed in a finalizer.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import psutil
import pytest
from tools.bench import copy_repo, make_env, run_make

from analysis.site.runner import NotebookInterrupted, sigterm_raises
from helpers import tree_digest

T = TypeVar("T")
BUILD_TIMEOUT = 600  # a clean build takes 1-2 minutes; this bounds a hung one
#: data/raw's digest when each pipeline copy was made (before any make ran in it).
RAW_BEFORE: dict[Path, str] = {}


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


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the repository for the module's scenario (clean build interrupted, rebuilt,
    one page interrupted, rebuilt, cleaned); anything still running in it afterwards is killed."""
    copy = copy_repo(tmp_path_factory.mktemp("faults") / "repo")
    RAW_BEFORE[copy] = tree_digest(copy / "data" / "raw")
    yield copy
    for proc in processes_in(copy):
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


def ensure_built(copy: Path) -> None:
    """`make all` in the copy (a no-op when an earlier test built it)."""
    result = run_make(copy, "all", timeout=BUILD_TIMEOUT)
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
    wait_for(lambda: not kernels_in(copy), timeout=60, what="the kernel to be shut down")
    assert not temporary_files(copy), temporary_files(copy)


def test_sigterm_during_a_clean_build_keeps_no_interrupted_page(
    pipeline: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    reports = pipeline / "reports"
    assert not list(reports.glob("*.ipynb")), "the copy must start unbuilt"
    returncode, output, running = interrupt_make(pipeline, signal.SIGTERM, started)
    assert_cleaned_up(pipeline, returncode, output)
    # The pages that were running do not exist; a page that does exist ran to its end before
    # the signal (make runs notebooks in parallel); the site was never rendered.
    for page in running:
        assert not (reports / f"{page}.ipynb").exists(), page
    for path in reports.glob("*.ipynb"):
        assert complete_page(path), f"{path.name} exists but did not run to its end"
    assert not (reports / "_site").exists()

    ensure_built(pipeline)  # the next make all completes
    assert (reports / "_site" / "index.html").is_file()
    for page in running:
        assert complete_page(reports / f"{page}.ipynb")
    assert not temporary_files(pipeline) and not kernels_in(pipeline)


def test_sigint_while_rebuilding_a_page_keeps_only_the_old_pages(
    pipeline: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    ensure_built(pipeline)
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

    ensure_built(pipeline)
    # The page ran to its end after the touch (its stamp is dated with the notebook); the page
    # itself keeps its date when its content is the same (see docs/DESIGN.md).
    stamp = pipeline / "build" / "stamps" / "pages" / "index"
    notebook = pipeline / "notebooks" / "01_index.ipynb"
    assert stamp.stat().st_mtime_ns >= notebook.stat().st_mtime_ns
    assert complete_page(reports / "index.ipynb")
    assert complete_page(reports / "index.ipynb")
    assert (reports / "_site" / "index.html").is_file()
    assert not temporary_files(pipeline) and not kernels_in(pipeline)


def test_make_all_and_clean_never_write_raw_data(pipeline: Path) -> None:
    raw = pipeline / "data" / "raw"
    ensure_built(pipeline)
    assert tree_digest(raw) == RAW_BEFORE[pipeline], "make all changed data/raw"
    cleaned = run_make(pipeline, "clean", timeout=120)
    assert cleaned.returncode == 0, cleaned.stderr
    assert tree_digest(raw) == RAW_BEFORE[pipeline], "make clean changed data/raw"
    assert not (pipeline / "data" / "processed").exists()


def offline_env() -> dict[str, str]:
    """An environment where every HTTP(S) request fails at once (a proxy on a closed port)."""
    dead = "http://127.0.0.1:9"
    env = make_env({k: dead for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    env.update({"NO_PROXY": "", "no_proxy": ""})
    env.pop("INEGI_API_TOKEN", None)
    return env


def test_failed_fetch_leaves_raw_data_untouched(pipeline: Path) -> None:
    """`make fetch` is all or nothing: offline it must fail (or find nothing) without writing."""
    dry = run_make(pipeline, "-n", "fetch", timeout=120)
    if dry.returncode != 0:
        pytest.skip(f"the Makefile has no `fetch` target yet ({dry.stderr.strip()})")
    raw = pipeline / "data" / "raw"
    result = run_make(pipeline, "fetch", timeout=BUILD_TIMEOUT, env=offline_env())
    assert tree_digest(raw) == RAW_BEFORE[pipeline], (
        f"an offline make fetch changed data/raw:\n{result.stdout}"
    )
    if result.returncode != 0:
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
