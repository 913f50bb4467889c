"""build/deps.mk: which package modules each step imports, read from the code (on a tiny package)."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.site.makedeps import Package, deps_makefile, notebook_imports, step_modules

FILES = {
    "pkg/__init__.py": "",
    "pkg/__main__.py": "from pkg.cli import main\nmain()\n",
    "pkg/cli.py": (
        "from pkg.core import errors\n"
        "def _params():\n    from pkg.core.params import load\n    return load()\n"
        "def _validate(args):\n    from pkg.snap.validate import check\n    return check()\n"
        "def _models(args):\n    _params()\n    from pkg.models import fit\n    return fit.run()\n"
        "def _render(args):\n    import pkg.site.render\n"
        "def build_parser():\n    from pkg.site.runner import NAME\n"
        "def main():\n    build_parser()\n"
    ),
    "pkg/core/__init__.py": "",
    "pkg/core/errors.py": "",
    "pkg/core/params.py": "from . import errors\n",
    "pkg/core/unused.py": "import pkg.models.fit\n",
    "pkg/snap/__init__.py": "",
    "pkg/snap/validate.py": "def check():\n    from ..core import params\n",
    "pkg/models/__init__.py": "",
    "pkg/models/fit.py": "from pkg.snap.validate import check\nimport os\n",
    "pkg/site/__init__.py": "",
    "pkg/site/render.py": "",
    "pkg/site/runner.py": "NAME = 'k'\n",
}
ALWAYS = {
    "pkg",
    "pkg.__main__",
    "pkg.cli",
    "pkg.core",
    "pkg.core.errors",
    "pkg.site",
    "pkg.site.runner",
}


def fake_package(tmp_path: Path) -> Package:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Package(tmp_path, "pkg")


def test_a_step_gets_its_handler_imports_transitively_and_never_another_steps(
    tmp_path: Path,
) -> None:
    package = fake_package(tmp_path)
    validate = step_modules(package, "_validate", "pkg.cli")
    # lazy import in the handler, then a relative function-level import inside that module
    assert validate == ALWAYS | {"pkg.snap", "pkg.snap.validate", "pkg.core.params"}
    models = step_modules(package, "_models", "pkg.cli")
    # `from pkg.models import fit` is the module fit; _params() is a helper the handler calls
    assert models == validate | {"pkg.models", "pkg.models.fit"}
    render = step_modules(package, "_render", "pkg.cli")
    assert render == ALWAYS | {"pkg.site.render"}
    assert all("pkg.core.unused" not in s for s in (validate, models, render))


def test_notebook_imports_come_from_code_cells_only(tmp_path: Path) -> None:
    package = fake_package(tmp_path)
    notebook = tmp_path / "page.ipynb"
    cells = [
        {"cell_type": "markdown", "source": "import pkg.core.unused", "metadata": {}},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "from pkg.models.fit import x\n"]},
    ]
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert notebook_imports(notebook, package) == {
        "pkg",
        "pkg.models",
        "pkg.models.fit",
        "pkg.snap",
        "pkg.snap.validate",
        "pkg.core",
        "pkg.core.params",
        "pkg.core.errors",
    }


def test_deps_makefile_lists_files_per_step_and_an_empty_rule_per_module(tmp_path: Path) -> None:
    fake_package(tmp_path)
    (tmp_path / "pkg" / "cli.py").write_text(
        FILES["pkg/cli.py"]
        + "".join(f"def {h}(args):\n    pass\n" for h in ("_clean", "_run_notebook"))
        + "def _params_stamps(args):\n    _params()\n",
        encoding="utf-8",
    )
    text = deps_makefile(tmp_path, [], "pkg")
    lines = dict(line.split(" := ", 1) for line in text.splitlines() if " := " in line)
    models = set(lines["MODELS_MODULES"].split())
    assert f"{tmp_path.as_posix()}/pkg/models/fit.py" in models
    assert f"{tmp_path.as_posix()}/pkg/site/render.py" not in models
    assert f"{tmp_path.as_posix()}/pkg/core/unused.py:" in text.splitlines()
