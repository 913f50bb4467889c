"""`make doctor`: check that this machine can build the project, and say how to fix what is missing.

One line per check, `ok` or `problem`, and for a problem the command that fixes it; the exit code
is 1 when any check found a problem. Checked: the Python that make uses (>= 3.11), GNU make, the
virtual environment and whether its packages match `requirements.lock`, the Jupyter kernel
`mexico-cf` inside the venv, Quarto (optional: which renderer `make reports` will use), Chromium
and chromedriver for the browser test, free disk space, and `params.yaml`.

Only the standard library is imported at module level, so the doctor also runs before `.venv`
exists (`python3 tools/doctor.py`); whatever needs the venv's packages is asked
of the venv's own interpreter in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

#: The checkout this module belongs to (tools/doctor.py -> the repository root).
ROOT = Path(__file__).resolve().parents[1]
# The page list is standard library only, so its kernel name is imported even without the venv.
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
from analysis.site.pages import KERNEL_NAME  # noqa: E402

MIN_PYTHON = (3, 11)
MIN_QUARTO = (1, 4)
MIN_FREE_BYTES = 2 * 2**30  # a fresh `make setup` needs about 1 GB; outputs are small
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SETUP_AGAIN = "rm -f .venv/.installed && make setup"
INSTALL_KERNEL = f'.venv/bin/python -m ipykernel install --sys-prefix --name {KERNEL_NAME} --display-name "Python ({KERNEL_NAME})"'

Which = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its name, ok or not, what was found, and the fixing command."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        """`ok      name      detail`, or `problem name detail -> fix: command`."""
        status = "ok" if self.ok else "problem"
        text = f"{status:<8}{self.name:<10}{self.detail}"
        return text if self.ok or not self.fix else f"{text} -> fix: {self.fix}"


def _run(
    command: Sequence[str], cwd: Path | None = None, timeout: float = 120
) -> tuple[int, str, str]:
    """Run a command; (exit code, stdout, stderr), with a missing program or timeout as code 127/124."""
    try:
        result = subprocess.run(
            list(command), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        return 127, "", str(exc)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout} s"
    return result.returncode, result.stdout, result.stderr


def version_tuple(text: str) -> tuple[int, ...]:
    """The first dotted version number in `text` as a tuple: 'Quarto 1.5.57' -> (1, 5, 57)."""
    match = re.search(r"(\d+(?:\.\d+)+)", text)
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


def normalise_name(name: str) -> str:
    """A distribution name as PEP 503 compares them: 'Jupyter_Client' -> 'jupyter-client'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, str]:
    """The `name==version` pins of a pip-compile lock file: `analysis.core.lock.read_pins`, the
    one lock parser (it needs `packaging`, so only a Python that has it can call this; the
    doctor's own package check asks the venv's Python instead, see `check_packages`)."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from analysis.core.lock import read_pins

    return read_pins(text)


def compare_pins(pins: dict[str, str], installed: dict[str, str]) -> list[str]:
    """One phrase per pin the environment does not satisfy: missing, or another version."""
    installed = {normalise_name(k): v for k, v in installed.items()}
    differences = []
    for name, version in sorted(pins.items()):
        found = installed.get(name)
        if found is None:
            differences.append(f"{name} not installed (lock {version})")
        elif found != version:
            differences.append(f"{name} {found} installed, lock {version}")
    return differences


# ---- the checks -------------------------------------------------------------------------------


def check_python(python: str | None = None) -> Check:
    """The interpreter make creates the venv with ($PYTHON, else python3) is 3.11 or newer."""
    python = python or os.environ.get("PYTHON") or "python3"
    code, out, err = _run([python, "-c", "import sys; print(*sys.version_info[:3], sep='.')"])
    if code != 0:
        return Check(
            "python",
            False,
            f"{python} not found ({err.strip() or code})",
            "install Python >= 3.11, or run make PYTHON=python3.11",
        )
    version = version_tuple(out)
    if version[:2] < MIN_PYTHON:
        return Check(
            "python",
            False,
            f"{python} is {out.strip()}, 3.11 or newer is required",
            "install Python >= 3.11 and run make PYTHON=python3.11",
        )
    return Check("python", True, f"{python} is Python {out.strip()} (>= 3.11)")


def check_make(which: Which = shutil.which) -> Check:
    """GNU make is on PATH (the pipeline is a Makefile)."""
    make = which("make")
    if not make:
        return Check("make", False, "make not on PATH", "sudo apt-get install make")
    code, out, _ = _run([make, "--version"])
    first = out.splitlines()[0] if out else "unknown version"
    if code != 0 or "GNU Make" not in first:
        return Check("make", False, f"{make} is not GNU make ({first})", "install GNU make")
    return Check("make", True, first)


def check_venv(root: Path) -> Check:
    """`.venv` exists with its interpreter and the stamp `make setup` writes when it finishes."""
    python = root / ".venv" / "bin" / "python"
    stamp = root / ".venv" / ".installed"
    if not os.access(python, os.X_OK):
        return Check("venv", False, f"{python} not found", "make setup")
    if not stamp.exists():
        return Check(
            "venv", False, f"{stamp} missing: the last install did not finish", "make setup"
        )
    stale = [
        name
        for name in ("requirements.lock", "pyproject.toml")
        if (root / name).exists() and (root / name).stat().st_mtime > stamp.stat().st_mtime
    ]
    if stale:
        return Check(
            "venv",
            False,
            f"{' and '.join(stale)} changed after the last install; make will reinstall",
            "make setup",
        )
    return Check("venv", True, f"{root / '.venv'} installed")


#: Run by the venv's Python (which has `packaging`; the system Python running the doctor may not):
#: the installed distributions and the lock's pins, read by the project's one lock parser.
_LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json, sys; sys.path.insert(0, sys.argv[1]); "
    "from analysis.core.lock import lock_pins; "
    "print(json.dumps({'installed': {d.metadata['Name']: d.version for d in m.distributions() "
    "if d.metadata['Name']}, 'pins': lock_pins(sys.argv[2])}))"
)


def check_packages(root: Path) -> Check:
    """Every pin in requirements.lock is installed in the venv at exactly that version."""
    lock = root / "requirements.lock"
    python = root / ".venv" / "bin" / "python"
    if not lock.is_file():
        return Check("packages", False, f"{lock} not found", "make lock")
    if not os.access(python, os.X_OK):
        return Check("packages", False, "no .venv to compare with requirements.lock", "make setup")
    code, out, err = _run([str(python), "-c", _LIST_DISTRIBUTIONS, str(ROOT / "src"), str(lock)])
    if code != 0:
        return Check(
            "packages", False, f"cannot list the venv's packages: {err.strip()}", SETUP_AGAIN
        )
    listed = json.loads(out)
    pins = listed["pins"]
    differences = compare_pins(pins, listed["installed"])
    if differences:
        shown = "; ".join(differences[:4]) + (
            f"; and {len(differences) - 4} more" if len(differences) > 4 else ""
        )
        return Check(
            "packages",
            False,
            f"{len(differences)} of {len(pins)} pins differ from requirements.lock: {shown}",
            SETUP_AGAIN,
        )
    return Check("packages", True, f"all {len(pins)} pins of requirements.lock installed")


_FIND_KERNEL = (
    "import json; from jupyter_client.kernelspec import KernelSpecManager as K; "
    f"s = K().get_kernel_spec({KERNEL_NAME!r}); "
    "print(json.dumps({'dir': s.resource_dir, 'argv': s.argv}))"
)


def check_kernel(root: Path) -> Check:
    """The kernel `mexico-cf` is registered inside the venv and starts the venv's Python."""
    venv = root / ".venv"
    python = venv / "bin" / "python"
    if not os.access(python, os.X_OK):
        return Check("kernel", False, f"no .venv, so no kernel '{KERNEL_NAME}'", "make setup")
    code, out, err = _run([str(python), "-c", _FIND_KERNEL])
    if code != 0:
        reason = err.strip().splitlines()[-1] if err.strip() else f"exit {code}"
        return Check(
            "kernel", False, f"kernel '{KERNEL_NAME}' not found ({reason})", INSTALL_KERNEL
        )
    spec = json.loads(out)
    inside = Path(spec["dir"]).resolve().is_relative_to(venv.resolve())
    program = Path(os.path.abspath(spec["argv"][0])) if spec["argv"] else Path()
    runs_venv = program.parent == Path(os.path.abspath(venv / "bin"))
    if not inside or not runs_venv:
        return Check(
            "kernel",
            False,
            f"kernel '{KERNEL_NAME}' at {spec['dir']} runs {program}, not this venv's Python",
            INSTALL_KERNEL,
        )
    return Check("kernel", True, f"'{KERNEL_NAME}' registered in {spec['dir']}")


def check_quarto(which: Which = shutil.which) -> Check:
    """Quarto is optional: report which renderer `make reports` will use (and a too-old Quarto)."""
    quarto = which("quarto")
    if not quarto:
        return Check(
            "quarto", True, "not on PATH: make reports renders with nbconvert (same pages)"
        )
    code, out, _ = _run([quarto, "--version"])
    version = version_tuple(out)
    if code != 0 or version[:2] < MIN_QUARTO:
        return Check(
            "quarto",
            False,
            f"{quarto} is version {out.strip() or 'unknown'}; make reports would use it, 1.4+ is needed",
            "install Quarto >= 1.4 (https://quarto.org/docs/get-started/) or take it off PATH",
        )
    return Check("quarto", True, f"Quarto {out.strip()} on PATH: make reports renders with Quarto")


def check_browser(which: Which = shutil.which) -> Check:
    """Chromium (or Chrome) and a chromedriver of the same major version, for the browser test."""
    browser = next((found for name in BROWSERS if (found := which(name))), None)
    driver = which("chromedriver")
    fix = "sudo apt-get install chromium chromium-driver"
    if not browser or not driver:
        missing = " and ".join(
            name for name, found in [("Chromium", browser), ("chromedriver", driver)] if not found
        )
        return Check("browser", False, f"{missing} not on PATH (the browser test needs both)", fix)
    browser_version = version_tuple(_run([browser, "--version"])[1])
    driver_version = version_tuple(_run([driver, "--version"])[1])
    if browser_version[:1] != driver_version[:1]:
        return Check(
            "browser",
            False,
            f"{browser} {'.'.join(map(str, browser_version))} and {driver} "
            f"{'.'.join(map(str, driver_version))} are different major versions",
            fix,
        )
    return Check(
        "browser", True, f"{browser} and {driver} {'.'.join(map(str, driver_version[:1]))}.x"
    )


def check_disk(root: Path, minimum: int = MIN_FREE_BYTES) -> Check:
    """Enough free space where the repository lives for the venv and the outputs."""
    free = shutil.disk_usage(root).free
    detail = f"{free / 2**30:.1f} GB free at {root}"
    if free < minimum:
        return Check(
            "disk",
            False,
            f"{detail}, {minimum / 2**30:.1f} GB needed",
            "make clean, and free space on that disk",
        )
    return Check("disk", True, detail)


def check_params(root: Path) -> Check:
    """params.yaml passes the typed schema (checked by the venv, as make does)."""
    python = root / ".venv" / "bin" / "python"
    if not os.access(python, os.X_OK):
        return Check("params", False, "cannot check params.yaml without .venv", "make setup")
    code, out, err = _run([str(python), "-m", "analysis", "check-params"], cwd=root)
    if code != 0:
        lines = [line for line in err.splitlines() if line.strip()]
        reason = lines[-1].removeprefix("error: ") if lines else f"exit {code}"
        return Check(
            "params", False, reason, "edit params.yaml (the schema is src/analysis/params.py)"
        )
    return Check("params", True, out.strip())


def run_checks(root: Path = ROOT) -> list[Check]:
    """Every check, in the order a new user would fix them."""
    return [
        check_python(),
        check_make(),
        check_venv(root),
        check_packages(root),
        check_kernel(root),
        check_params(root),
        check_quarto(),
        check_browser(),
        check_disk(root),
    ]


def run_doctor(root: Path = ROOT, out: TextIO | None = None) -> int:
    """Print one line per check; 0 when every check is ok, 1 otherwise."""
    out = out or sys.stdout
    checks = run_checks(root)
    for check in checks:
        print(check.line(), file=out)
    problems = [c for c in checks if not c.ok]
    print(
        f"{len(problems)} problem(s) found" if problems else "everything needed is in place",
        file=out,
    )
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python3 tools/doctor.py [--root DIR]`: works without the venv (standard library only)."""
    parser = argparse.ArgumentParser(prog="python3 tools/doctor.py", description=__doc__)
    parser.add_argument("--root", default=str(ROOT), help="the repository to check")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return run_doctor(Path(args.root))


if __name__ == "__main__":
    sys.exit(main())
