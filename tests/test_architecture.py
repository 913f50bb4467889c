"""The package's stages import one way: core <- snapshot <- clean <- models <- report <- site <- cli.

Every import in every module is read with `ast` (function-level imports included, since the CLI
and several steps import lazily), so a new import against the direction fails here by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGE = ROOT / "src" / "analysis"

#: What each stage may import from the package besides itself. `fetch` sits beside cleaning:
#: it writes new raw releases and checks them with the readers; only the CLI starts it.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "snapshot": {"core"},
    "clean": {"core", "snapshot"},
    "fetch": {"core", "snapshot", "clean"},
    "models": {"core", "snapshot", "clean"},
    "report": {"core", "snapshot", "clean", "models"},
    "site": {"core", "snapshot", "clean", "models", "report"},
    "cli": {"core", "snapshot", "clean", "fetch", "models", "report", "site"},
}


def stage_of(module: str) -> str:
    """'analysis.models.progress' -> 'models'; 'analysis.cli' and 'analysis.__main__' -> 'cli'."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in {"cli", "__main__", "__init__"}:
        return "cli"
    return parts[1]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def imported_modules(source: str) -> set[str]:
    """Every `analysis...` module a source imports, at any depth of the code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("analysis"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":  # `from analysis import cli`
                found.update(f"analysis.{a.name}" for a in node.names)
            elif node.module.startswith("analysis."):
                found.add(node.module)
    return found


def violations(modules: dict[str, str]) -> list[str]:
    """'importer -> imported' for each import that runs against the stage order."""
    wrong = []
    for name, source in sorted(modules.items()):
        here = stage_of(name)
        for target in sorted(imported_modules(source)):
            there = stage_of(target)
            if there != here and there not in ALLOWED[here]:
                wrong.append(f"{name} -> {target}")
    return wrong


def package_sources() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def test_every_module_belongs_to_a_known_stage() -> None:
    stages = {stage_of(name) for name in package_sources()}
    assert stages <= set(ALLOWED), stages - set(ALLOWED)
    assert {"core", "snapshot", "clean", "models", "report", "site"} <= stages


def test_imports_run_one_way() -> None:
    assert violations(package_sources()) == []


def test_nothing_but_the_cli_imports_the_site() -> None:
    importers = {
        name
        for name, source in package_sources().items()
        if stage_of(name) != "site" and any(stage_of(t) == "site" for t in imported_modules(source))
    }
    assert importers <= {"analysis.cli", "analysis.__main__"}, importers


@pytest.mark.parametrize(
    ("importer", "source", "expected"),
    [
        # A model reading a sentence module: the direction the rule forbids.
        (
            "analysis.models.progress",
            "def f():\n    from analysis.report.words import enumerate_words\n",
            ["analysis.models.progress -> analysis.report.words"],
        ),
        (
            "analysis.report.areas",
            "import analysis.site.render\n",
            ["analysis.report.areas -> analysis.site.render"],
        ),
        (
            "analysis.clean.tidy",
            "from analysis import cli\n",
            ["analysis.clean.tidy -> analysis.cli"],
        ),
        ("analysis.report.areas", "from analysis.models.status import GOOD\n", []),
        ("analysis.core.paths", "from analysis.core.errors import DataError\n", []),
    ],
)
def test_the_check_catches_a_wrong_import(importer: str, source: str, expected: list[str]) -> None:
    """The checker itself: a function-level import against the order is reported, allowed ones not."""
    assert violations({importer: source}) == expected


def test_developer_tools_are_outside_the_runtime_package() -> None:
    assert not (PACKAGE / "bench.py").exists() and not (PACKAGE / "doctor.py").exists()
    for name, source in package_sources().items():
        assert "tools" not in {m.split(".")[0] for m in _top_level_imports(source)}, name


def _top_level_imports(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names
