"""Build tier: make's code dependencies are the imports, and an unchanged output reruns nothing.

In a copy of the built checkout: for every package module, `make -n -W <module>` (data outputs
held old with `-o`, so only code dependencies count) lists exactly the steps that import the
module, directly or not. What "imports" means is worked out here independently of
analysis.site.makedeps: with the standard library's modulefinder, from each step's entry modules
(the lazily imported modules of its command-line handler) and each notebook's code cells.
"""

from __future__ import annotations

import ast
import json
import modulefinder
import re
import subprocess
from pathlib import Path

import pytest

from analysis.site.makedeps import STEP_HANDLERS, Package, cli_step_imports
from analysis.site.pages import PAGES
from helpers import ROOT, copy_built_checkout, make_env

SRC = ROOT / "src"
MODULES = sorted(p.relative_to(ROOT).as_posix() for p in (SRC / "analysis").rglob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: The make step each command line of `make -n` belongs to.
STEP_OF_COMMAND = {
    "analysis validate": "validate",
    "analysis clean": "clean",
    "analysis models": "models",
    "analysis render": "render",
}
MAKE_STEPS = {"validate": "VALIDATE", "clean": "CLEAN", "models": "MODELS", "render": "RENDER"}
DATA_OUTPUTS = [
    "data/processed/validation.json",
    "data/processed/indicators.csv",
    *(f"data/processed/{n}.csv" for n in ("progress", "recovery", "forecasts")),
    *(f"data/processed/{n}.csv" for n in ("progress_by_outcome", "progress_by_cross_cutting")),
    *(f"data/processed/{n}.csv" for n in ("counterfactuals", "method_coverage")),
]


def _found(entry_code: str, tmp_path: Path) -> set[str]:
    """Files of the package modulefinder reaches from a script (analysis.cli counted, not
    followed: its handlers import lazily, per step)."""
    script = tmp_path / f"entry{abs(hash(entry_code))}.py"
    script.write_text(entry_code, encoding="utf-8")
    finder = modulefinder.ModuleFinder(path=[str(SRC)], excludes=["analysis.cli"])
    finder.run_script(str(script))
    return {
        Path(m.__file__).resolve().relative_to(ROOT).as_posix()
        for name, m in finder.modules.items()
        if name.split(".")[0] == "analysis" and m.__file__
    }


def _without_magics(source: str) -> str:
    """A code cell as Python: IPython's `%` and `!` lines left out."""
    return "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )


def expected_importers(tmp_path: Path) -> dict[str, set[str]]:
    """module file -> the make steps that import it, as modulefinder sees it."""
    package = Package(SRC)
    cli = "src/analysis/cli.py"
    steps: dict[str, set[str]] = {}
    for step, var in [*MAKE_STEPS.items(), ("notebook", "NOTEBOOK")]:
        entry = sorted(cli_step_imports(package, STEP_HANDLERS[var]) | {"analysis.__main__"})
        code = "".join(f"import {m}\n" for m in entry if m != "analysis.cli")
        steps[step] = _found(code, tmp_path) | {cli}
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join(
            ast.unparse(node)
            for c in cells
            if c["cell_type"] == "code"
            for node in ast.walk(ast.parse(_without_magics("".join(c["source"]))))
            if isinstance(node, (ast.Import, ast.ImportFrom))
        )
        steps[f"page {notebook.stem}"] = _found(code + "\n", tmp_path) | steps["notebook"]
    del steps["notebook"]
    return {m: {s for s, files in steps.items() if m in files} for m in MODULES}


def make(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", *args], cwd=cwd, capture_output=True, text=True, check=False, env=make_env()
    )


def steps_in(dry_run: str) -> set[str]:
    """The steps whose commands a `make -n` printed."""
    steps = set()
    for line in dry_run.splitlines():
        for command, step in STEP_OF_COMMAND.items():
            if f" -m {command} " in f"{line} ":
                steps.add(step)
        match = re.search(r"run-notebook notebooks/(\w+)\.ipynb", line)
        if match:
            steps.add(f"page {match.group(1)}")
    return steps


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = copy_built_checkout(tmp_path_factory.mktemp("deps") / "repo")
    result = make("-n", "all", cwd=copy)
    assert result.returncode == 0 and steps_in(result.stdout) == set(), result.stdout
    return copy


@pytest.mark.build
def test_every_module_reruns_exactly_the_steps_that_import_it(
    repo_copy: Path, tmp_path: Path
) -> None:
    expected = expected_importers(tmp_path)
    # The bug this guards against: the models step missed modules the models import.
    assert "models" in expected["src/analysis/models/minimums.py"]
    assert "models" not in expected["src/analysis/site/render.py"]
    old = [a for output in DATA_OUTPUTS for a in ("-o", output)]
    pages = [a for p in PAGES for a in ("-o", p.executed)]
    # The steps themselves are the goals: a file held old is not remade, nor what makes it.
    # Every page is a goal: a notebook shared by several pages (the area pages) reruns for each.
    stamps = [f"build/stamps/{s}" for s in MAKE_STEPS]
    stamps += [f"build/stamps/pages/{p.name}" for p in PAGES]
    wrong = {}
    for module in MODULES:
        result = make("-n", "-W", module, *old, *pages, *stamps, cwd=repo_copy)
        assert result.returncode == 0, result.stderr
        if steps_in(result.stdout) != expected[module]:
            wrong[module] = (sorted(steps_in(result.stdout)), sorted(expected[module]))
    assert not wrong, wrong


@pytest.mark.build
def test_a_comment_in_a_model_module_reruns_models_only(repo_copy: Path) -> None:
    # step.py: imported by the models step, by no notebook (progress.py is, through
    # report.sentences; minimums.py is, by every page).
    module = repo_copy / "src" / "analysis" / "models" / "step.py"
    tables = sorted((repo_copy / "data" / "processed").glob("*.csv"))
    before = {p: p.stat().st_mtime_ns for p in [*tables, *(repo_copy / "reports").glob("*.ipynb")]}
    module.write_text(module.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    # The copy's venv imports the package from this checkout: same code, same tables.
    result = make("all", cwd=repo_copy)
    assert result.returncode == 0, result.stderr
    assert steps_in(result.stdout.replace("model tables:", " -m analysis models ")) >= {"models"}
    assert "model tables: 0 of 7 changed" in result.stdout
    assert "run-notebook" not in result.stdout and "ran notebooks" not in result.stdout
    assert {p: p.stat().st_mtime_ns for p in before} == before
    again = make("all", cwd=repo_copy)
    assert again.returncode == 0 and "Nothing to be done for 'all'" in again.stdout
