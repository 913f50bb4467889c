"""Write build/deps.mk: for each pipeline step, the package modules it imports (directly or not).

Run by make with the system Python before the virtual environment exists, so only the standard
library is used: `PYTHONPATH=src python3 -m analysis.site.makedeps --out build/deps.mk NOTEBOOK...`.

Imports are read with `ast`, never executed. Every `import`/`from ... import` anywhere in a module
counts (function-level imports too: the package imports lazily), except in the command line
module, whose step handlers import only what their own step needs. There a step's modules are the
module-level imports plus those of `main`, `build_parser` and the step's handler, following calls
to other functions of the same module. Importing `a.b.c` also runs `a/__init__.py` and
`a/b/__init__.py`, so those count. A notebook page depends on the imports of its code cells plus
the `run-notebook` step (the runner).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = "analysis"
CLI_MODULE = "analysis.cli"
#: Make variable prefix -> the handler function in analysis/cli.py that runs that step.
STEP_HANDLERS: Mapping[str, str] = {
    "VALIDATE": "_validate",
    "CLEAN": "_clean",
    "MODELS": "_models",
    "NOTEBOOK": "_run_notebook",
    "RENDER": "_render",
    "PARAMS": "_params_stamps",
}
#: Functions of analysis/cli.py that run for every step (argument parsing and the entry point).
CLI_ALWAYS = ("main", "build_parser")


class Package:
    """The modules of one package below `src`: name <-> file."""

    def __init__(self, src: Path, name: str = PACKAGE) -> None:
        self.src = Path(src)
        self.name = name
        self.files: dict[str, Path] = {}
        for path in sorted((self.src / name).rglob("*.py")):
            parts = path.relative_to(self.src).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self.files[".".join(parts)] = path

    def is_package(self, module: str) -> bool:
        return self.files.get(module, Path()).name == "__init__.py"

    def resolve(self, module: str) -> set[str]:
        """The known modules that importing `module` runs: it and its parent packages."""
        parts = module.split(".")
        found = set()
        for i in range(1, len(parts) + 1):
            name = ".".join(parts[:i])
            if name in self.files:
                found.add(name)
        return found


def _absolute(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    """The absolute module name of a (possibly relative) `from X import` node."""
    if not node.level:
        return node.module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_in(nodes: Iterable[ast.AST], package: Package, current: str = "") -> set[str]:
    """Package modules imported anywhere inside the given nodes (`from a import b` counts
    `a.b` when it is a module)."""
    found: set[str] = set()
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found |= package.resolve(alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, current, package.is_package(current))
                found |= package.resolve(base)
                for alias in node.names:
                    found |= package.resolve(f"{base}.{alias.name}")
    return {m for m in found if m.split(".")[0] == package.name}


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def closure(start: Iterable[str], package: Package, stop: Iterable[str] = ()) -> set[str]:
    """`start` and every package module they import, directly or not; modules in `stop` are
    counted but their imports are not followed."""
    stop = set(stop)
    seen: set[str] = set()
    todo = [m for m in start if m in package.files]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        if module not in stop:
            todo.extend(imports_in([_parse(package.files[module])], package, module) - seen)
    return seen


def cli_step_imports(package: Package, handler: str, cli: str = CLI_MODULE) -> set[str]:
    """Modules the command-line module imports when it runs the step `handler`: module level,
    `main` and `build_parser`, the handler, and the same-module functions they call."""
    tree = _parse(package.files[cli])
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if handler not in functions:
        raise SystemExit(f"error: {package.files[cli]} has no step handler {handler}()")
    nodes: list[ast.AST] = [
        n for n in tree.body if not isinstance(n, ast.FunctionDef | ast.ClassDef)
    ]
    todo, done = [*CLI_ALWAYS, handler], set()
    while todo:
        name = todo.pop()
        if name in done or name not in functions:
            continue
        done.add(name)
        nodes.append(functions[name])
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return imports_in(nodes, package, cli)


def step_modules(package: Package, handler: str, cli: str = CLI_MODULE) -> set[str]:
    """Every package module a command-line step runs: `python -m analysis`, the command-line
    module (as `cli_step_imports` reads it) and everything those import."""
    main = f"{package.name}.__main__"
    start = cli_step_imports(package, handler, cli) | package.resolve(cli) | package.resolve(main)
    return closure(start, package, stop={cli})


def notebook_imports(notebook: Path, package: Package) -> set[str]:
    """Package modules the code cells of a notebook import."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        found |= imports_in([ast.parse("\n".join(lines))], package)
    return closure(found, package)


def _files(package: Package, modules: Iterable[str]) -> list[str]:
    return sorted(package.files[m].as_posix() for m in modules)


def deps_makefile(src: Path, notebooks: Iterable[Path], package_name: str = PACKAGE) -> str:
    """The text of deps.mk: `<STEP>_MODULES := files` per step, `NOTEBOOK_MODULES_<stem>` per
    notebook, and an empty rule per file so a deleted module does not stop make."""
    package = Package(src, package_name)
    lines = ["# Generated by analysis.site.makedeps from the imports of each step; do not edit."]
    cli = f"{package.name}.cli"
    steps = {var: step_modules(package, handler, cli) for var, handler in STEP_HANDLERS.items()}
    for var, modules in steps.items():
        lines.append(f"{var}_MODULES := {' '.join(_files(package, modules))}")
    for notebook in sorted(Path(n) for n in notebooks):
        modules = notebook_imports(notebook, package) | steps["NOTEBOOK"]
        lines.append(f"NOTEBOOK_MODULES_{notebook.stem} := {' '.join(_files(package, modules))}")
    every = _files(package, package.files)
    lines.append(f"DEPS_SOURCES := {' '.join(every)}")
    lines.extend(f"{path}:" for path in every)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--src", type=Path, default=Path("src"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    text = deps_makefile(args.src, args.notebooks)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)  # always rewritten: make only includes it, nothing depends on its date
    return 0


if __name__ == "__main__":
    sys.exit(main())
