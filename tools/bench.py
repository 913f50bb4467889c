"""`make bench`: measure the pipeline on this machine and compare it with the project's targets.

Everything runs in a throw-away copy of the repository whose `.venv` is a symlink to this
checkout's (so nothing is installed and this checkout is never touched):

1. a clean `make all` (after `make clean`), the cost a user pays after editing anything basic;
2. a no-op `make all`, which must be instant for `make` to stay pleasant to run often;
3. `make all` after touching `notebooks/01_index.ipynb` (one notebook plus rendering);
4. a clean `make -j2 all` against a clean `make -j1 all`, to show the graph allows parallelism;
5. the peak resident memory of each notebook run (the CLI process, its kernel and any children);
6. the overhead ratio: the clean pipeline's wall time divided by the time the same analysis takes
   in one Python process (validation, cleaning, models and the notebooks' code cells executed
   directly, without make, papermill or kernels) - how much the orchestration costs.

The result goes to `reports/benchmark.json` (atomically) and a Markdown table is printed. The
benchmark is a tool, not a test: the tests check only its pure parts (targets, table).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: The checkout this module belongs to (tools/bench.py -> the repository root). On sys.path so that
#: the repository-copy helpers the tests use are the benchmark's too.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import copy_checkout, make_env, run_make  # noqa: E402

#: Project targets (README, "Requirements"): what "fast enough" means on a 2-core laptop.
CLEAN_TARGET_S = 60.0
NOOP_TARGET_S = 1.0
PEAK_MEMORY_TARGET_MB = 600.0


# ---- make in a repository copy (tests/helpers.py) ------------------------------------------------


def timed_make(copy: Path, *args: str, timeout: float = 600) -> float:
    """Wall time in seconds of a make run that must succeed."""
    start = time.perf_counter()
    result = run_make(copy, *args, timeout=timeout)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"make {' '.join(args)} failed in {copy}:\n{result.stderr[-2000:]}")
    return elapsed


# ---- peak memory of one notebook run ------------------------------------------------------------


def peak_tree_rss_mb(
    command: Sequence[str], cwd: Path, interval: float = 0.05, timeout: float = 600
) -> tuple[float, float]:
    """Run `command` and sample the RSS of its whole process tree (kernel included).

    Returns (peak MB, wall seconds). The command must succeed; it is killed with its children when
    it runs past `timeout`.
    """
    import psutil

    peak = 0
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = psutil.Popen(
            list(command), cwd=cwd, env=make_env(), stdout=subprocess.DEVNULL, stderr=errors
        )
        try:
            while proc.poll() is None:
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"{' '.join(command)} ran past {timeout} s")
                total = 0
                with contextlib.suppress(psutil.Error):
                    for member in [proc, *proc.children(recursive=True)]:
                        with contextlib.suppress(psutil.Error):
                            total += member.memory_info().rss
                peak = max(peak, total)
                time.sleep(interval)  # sampling period, not a timing measurement
        finally:
            if proc.poll() is None:
                for member in proc.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        member.kill()
                proc.kill()
                proc.wait(timeout=30)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}:\n{tail}")
    return peak / 2**20, wall


# ---- the same analysis in one process -----------------------------------------------------------


def _code_cells(notebook: Path) -> list[tuple[list[str], str]]:
    """(tags, source) of each code cell, with IPython magics and shell escapes left out."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    result = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        result.append((list(cell.get("metadata", {}).get("tags", [])), "\n".join(lines)))
    return result


def exec_notebook_in_process(notebook: Path, params_path: Path) -> None:
    """Execute a notebook's code cells in this process with its checked parameter values.

    Figures left open after a cell are rendered to PNG, as the kernel's inline backend would.
    """
    import matplotlib.pyplot as plt

    from analysis.site.runner import resolve_values

    values = resolve_values(notebook, params_path)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for tags, source in _code_cells(notebook):
        exec(compile(source, f"{notebook}:cell", "exec"), namespace)
        if "parameters" in tags:
            namespace.update(values)
        for number in plt.get_fignums():
            plt.figure(number).savefig(io.BytesIO(), format="png")
        plt.close("all")


def inprocess_times(copy: Path) -> dict[str, float]:
    """Seconds each analysis step takes in this one process, run in `copy` (built already).

    Validation, cleaning and the models step go through
    `analysis.cli.main` exactly as make calls them, writing to a temporary folder; then each
    notebook's code cells run directly (`exec_notebook_in_process`).
    """
    import matplotlib

    matplotlib.use("Agg")
    from analysis import cli

    os.chdir(copy)
    package = "data/raw/datapackage.json"
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()):
        steps = [
            ("validate", ["validate", "--package", package, "--summary", f"{out}/v.json"]),
            ("clean", ["clean", "--package", package, "--out", f"{out}/indicators.csv"]),
            ("models", ["models", "--out-dir", out]),
        ]
        for name, argv in steps:
            start = time.perf_counter()
            if cli.main(argv) != 0:
                raise RuntimeError(f"in-process step {name} failed")
            times[name] = time.perf_counter() - start
        for notebook in sorted(Path("notebooks").glob("*.ipynb")):
            start = time.perf_counter()
            exec_notebook_in_process(notebook, Path("params.yaml"))
            times[f"notebook {notebook.stem}"] = time.perf_counter() - start
    return times


# ---- targets and report -------------------------------------------------------------------------


@dataclass
class Measurements:
    """What one benchmark run measured (seconds, MB)."""

    clean_s: float
    noop_s: float
    touch_notebook_s: float
    clean_j1_s: float
    clean_j2_s: float
    peak_rss_mb: dict[str, float]
    notebook_wall_s: dict[str, float]
    inprocess_s: dict[str, float]

    @property
    def inprocess_total_s(self) -> float:
        return sum(self.inprocess_s.values())

    @property
    def overhead_ratio(self) -> float:
        """Clean pipeline wall time over the same analysis in one process."""
        total = self.inprocess_total_s
        return self.clean_s / total if total > 0 else float("inf")


@dataclass(frozen=True)
class Target:
    """One target: the measured value, the goal in words, and whether it is met."""

    name: str
    measured: str
    goal: str
    met: bool


def evaluate_targets(m: Measurements) -> list[Target]:
    """Compare measurements with the project's targets (clean, no-op, -j2, memory per notebook)."""
    targets = [
        Target(
            "clean make all",
            f"{m.clean_s:.1f} s",
            f"< {CLEAN_TARGET_S:.0f} s",
            m.clean_s < CLEAN_TARGET_S,
        ),
        Target(
            "no-op make all",
            f"{m.noop_s:.2f} s",
            f"< {NOOP_TARGET_S:.0f} s",
            m.noop_s < NOOP_TARGET_S,
        ),
        Target(
            "make -j2 vs -j1 (clean)",
            f"{m.clean_j2_s:.1f} s vs {m.clean_j1_s:.1f} s",
            "-j2 faster",
            m.clean_j2_s < m.clean_j1_s,
        ),
    ]
    for notebook, peak in sorted(m.peak_rss_mb.items()):
        targets.append(
            Target(
                f"peak memory {notebook}",
                f"{peak:.0f} MB",
                f"< {PEAK_MEMORY_TARGET_MB:.0f} MB",
                peak < PEAK_MEMORY_TARGET_MB,
            )
        )
    return targets


def machine_info() -> dict[str, Any]:
    """Cores, memory, Python, platform, make and the renderer `make reports` would use."""
    import psutil

    make = subprocess.run(["make", "--version"], capture_output=True, text=True, check=False)
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "make": make.stdout.splitlines()[0] if make.stdout else "unknown",
        "renderer": "quarto" if shutil.which("quarto") else "nbconvert",
    }


def build_report(m: Measurements, machine: dict[str, Any]) -> dict[str, Any]:
    """The JSON document written to reports/benchmark.json."""
    measurements = asdict(m)
    measurements["inprocess_total_s"] = m.inprocess_total_s
    measurements["overhead_ratio"] = m.overhead_ratio
    targets = evaluate_targets(m)
    return {
        "machine": machine,
        "measurements": measurements,
        "targets": [asdict(t) for t in targets],
        "all_met": all(t.met for t in targets),
    }


def markdown_table(report: dict[str, Any]) -> str:
    """A Markdown table of every measurement, with the target and whether it is met."""
    m = report["measurements"]
    targets = {t["name"]: t for t in report["targets"]}

    def row(name: str, value: str, target_name: str | None = None) -> str:
        target = targets.get(target_name or name)
        goal = target["goal"] if target else ""
        met = ("yes" if target["met"] else "**no**") if target else ""
        return f"| {name} | {value} | {goal} | {met} |"

    lines = [
        "| Measurement | Value | Target | Met |",
        "|---|---|---|---|",
        row("clean make all", f"{m['clean_s']:.1f} s"),
        row("no-op make all", f"{m['noop_s']:.2f} s"),
        row("make all after touching notebooks/01_index.ipynb", f"{m['touch_notebook_s']:.1f} s"),
        row("clean make -j1 all", f"{m['clean_j1_s']:.1f} s", "make -j2 vs -j1 (clean)"),
        row("clean make -j2 all", f"{m['clean_j2_s']:.1f} s", "make -j2 vs -j1 (clean)"),
    ]
    for notebook in sorted(m["peak_rss_mb"]):
        wall = m["notebook_wall_s"].get(notebook)
        timing = f" ({wall:.1f} s)" if wall is not None else ""
        lines.append(row(f"peak memory {notebook}", f"{m['peak_rss_mb'][notebook]:.0f} MB{timing}"))
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in m["inprocess_s"].items())
    lines.append(row("same analysis in one process", f"{m['inprocess_total_s']:.1f} s ({steps})"))
    lines.append(row("overhead ratio (clean / in-process)", f"{m['overhead_ratio']:.1f}x"))
    machine = report["machine"]
    lines.append("")
    lines.append(
        f"Machine: {machine['cores']} cores, {machine['memory_gb']} GB, Python {machine['python']}, "
        f"{machine['make']}, renderer {machine['renderer']}."
    )
    return "\n".join(lines)


# ---- the benchmark ------------------------------------------------------------------------------


@contextlib.contextmanager
def _workspace(keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    try:
        yield folder
    finally:
        if keep:
            print(f"kept the benchmark copy at {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def measure(root: Path = ROOT, keep: bool = False, log: Any = None) -> Measurements:
    """Run every measurement in a fresh copy of `root`; `log` receives one line per step."""

    def say(text: str) -> None:
        if log is not None:
            print(text, file=log, flush=True)

    with _workspace(keep) as work:
        copy = copy_checkout(work / "repo", built=False, root=root)
        python = str(copy / ".venv" / "bin" / "python")
        say("clean make all ...")
        run_make(copy, "clean")
        clean = timed_make(copy, "all")
        say(f"  {clean:.1f} s; no-op make all ...")
        noop = timed_make(copy, "all")
        (copy / "notebooks" / "01_index.ipynb").touch()
        say(f"  {noop:.2f} s; make all after touching notebooks/01_index.ipynb ...")
        touched = timed_make(copy, "all")
        say(f"  {touched:.1f} s; clean make -j2 all ...")
        run_make(copy, "clean")
        j2 = timed_make(copy, "-j2", "JOBS=2", "all")  # JOBS: the Makefile's own -j setting
        say(f"  {j2:.1f} s; clean make -j1 all ...")
        run_make(copy, "clean")
        j1 = timed_make(copy, "-j1", "JOBS=1", "all")
        say(f"  {j1:.1f} s; peak memory per notebook ...")
        peaks: dict[str, float] = {}
        walls: dict[str, float] = {}
        for notebook in sorted((copy / "notebooks").glob("*.ipynb")):
            rel = notebook.relative_to(copy).as_posix()
            out = f"build/bench/{notebook.stem}.ipynb"
            command = [python, "-m", "analysis", "run-notebook", rel, out]
            peaks[notebook.stem], walls[notebook.stem] = peak_tree_rss_mb(command, copy)
            say(f"  {notebook.stem}: {peaks[notebook.stem]:.0f} MB")
        say("the same analysis in one process ...")
        result = subprocess.run(
            [python, str(Path(__file__).resolve()), "--in-process", str(copy)],
            cwd=copy,
            env=make_env({"MPLBACKEND": "Agg"}),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"in-process run failed:\n{result.stderr[-2000:]}")
        inprocess = json.loads(result.stdout.strip().splitlines()[-1])
    return Measurements(
        clean_s=clean,
        noop_s=noop,
        touch_notebook_s=touched,
        clean_j1_s=j1,
        clean_j2_s=j2,
        peak_rss_mb=peaks,
        notebook_wall_s=walls,
        inprocess_s=inprocess,
    )


def run_bench(
    out: str | Path = "reports/benchmark.json", root: Path = ROOT, keep: bool = False
) -> dict[str, Any]:
    """Measure, write the JSON report atomically to `out`, print the Markdown table; return the report."""
    from analysis.core.atomic import write_text_atomic

    m = measure(root, keep=keep, log=sys.stderr)
    report = build_report(m, machine_info())
    write_text_atomic(out, json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(markdown_table(report))
    print(f"\nwritten to {out}")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """`python tools/bench.py [--out F] [--keep] [--strict]`, or `--in-process COPY` (internal)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--in-process"]:
        print(json.dumps(inprocess_times(Path(argv[1]).resolve())))
        return 0
    parser = argparse.ArgumentParser(prog="python tools/bench.py", description=__doc__)
    parser.add_argument(
        "--out", default="reports/benchmark.json", help="where to write the JSON report"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository copy")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args(argv)
    report = run_bench(args.out, keep=args.keep)
    return 0 if report["all_met"] or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
