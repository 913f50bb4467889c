"""Bad input is refused loudly: one `error:` line naming the file, the row and the field, exit 1.

Each case corrupts its own throw-away copy of the snapshot (only the resources it needs, plus the
indicator map) or its own params.yaml, and runs the command line's entry point
(`analysis.cli.main`: validate/clean/check-params) with its stdout and stderr captured, so the exit
code and the lines a user sees are what is tested. One case per step also runs as a real
`python -m analysis` process, which must print the same line; the notebook cases always do.
`data/raw` itself is never written: its tree hash is compared before and after the module.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.core.errors import ParameterError
from analysis.core.params import Params
from analysis.site.runner import run_notebook
from analysis.snapshot.validate import refresh_checksums
from helpers import RAW, ROOT, replace_in_file, tree_digest

NEW_SERIES = "inegi/pobreza_multidimensional_2016_2024.csv"  # resource inegi_pobreza_2016_2024
OLD_SERIES = "coneval/pobreza_nacional_2008_2018.csv"  # resource coneval_pobreza_2008_2018
STATES = "coneval/pobreza_entidades_serie_2016_2024.csv"  # coneval_pobreza_entidades_2016_2024
INDICATOR_MAP = "framework/indicator_map.csv"
RESOURCE_OF = {
    NEW_SERIES: "inegi_pobreza_2016_2024",
    OLD_SERIES: "coneval_pobreza_2008_2018",
    STATES: "coneval_pobreza_entidades_2016_2024",
}
CLI_TIMEOUT = 180


@pytest.fixture(scope="module", autouse=True)
def raw_snapshot_untouched() -> Iterator[None]:
    """Every case works on copies: data/raw must be byte-identical after the whole module."""
    before = tree_digest(RAW)
    yield
    assert tree_digest(RAW) == before, "data/raw was modified by a bad-input test"


def cli_env() -> dict[str, str]:
    """The environment for the CLI subprocesses: `analysis` importable from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def analysis_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m analysis ...` as make runs it."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def analysis_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """`analysis.cli.main(args)` in this process, as if run as a command (output captured)."""
    from analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["analysis", *args], code, out.getvalue(), err.getvalue())


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single `error:` line of a failed command (kernel start-up chatter aside)."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith("[IPKernelApp]")
    ]
    assert len(lines) == 1, f"expected one error line, got {len(lines)}:\n{result.stderr}"
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def location_pattern(file: str, row: int | None, field: str | None) -> str:
    """A regex for the `file: row N, field 'F': ` prefix DataError renders (absent parts left out)."""
    parts = [f"row {row}"] if row is not None else []
    if field is not None:
        parts.append(re.escape(f"field '{field}'"))
    return re.escape(f"{file}: ") + (", ".join(parts) + ": " if parts else "")


# ---- building corrupted copies ------------------------------------------------------------------


def snapshot_copy(work: Path, *paths: str) -> Path:
    """A copy of the resources holding `paths` (plus the indicator map); returns its datapackage.json.

    The descriptor entries are the real ones, so schemas, checksums and x-clean maps are tested
    as shipped; only unrelated resources are left out (faster, and one error per case).
    """
    raw = work / "raw"
    descriptor = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    wanted = {RESOURCE_OF[p] for p in paths} | {"indicator_map"}
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in wanted]
    assert {r["name"] for r in descriptor["resources"]} == wanted
    for resource in descriptor["resources"]:
        target = raw / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAW / resource["path"], target)
    package = raw / "datapackage.json"
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    return package


def edit_descriptor(package: Path, change: Callable[[dict], None]) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    change(descriptor)
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")


def resource(descriptor: dict, path: str) -> dict:
    return next(r for r in descriptor["resources"] if r["path"] == path)


def rewrite_lines(path: Path, change: Callable[[list[str]], list[str]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")


def params_file(work: Path, text: str) -> Path:
    path = work / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def schema_bounds(name: str) -> tuple[int, int]:
    """The (ge, le) bounds params.py declares for an integer parameter."""
    metadata = Params.model_fields[name].metadata
    low = next(m.ge for m in metadata if hasattr(m, "ge"))
    high = next(m.le for m in metadata if hasattr(m, "le"))
    return int(low), int(high)


# ---- the cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, which step refuses it, and what the one line must name."""

    name: str
    step: str  # validate | clean | check-params
    prepare: Callable[
        [Path], Path
    ]  # builds the input in a fresh folder; returns --package/--params
    file: str  # the end of the path the message must start with
    row: int | None
    field: str | None
    reason: str


def _missing(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    (package.parent / NEW_SERIES).unlink()
    return package


def _empty(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    (package.parent / NEW_SERIES).write_bytes(b"")
    return package


def _latin1(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    path = package.parent / NEW_SERIES
    text = path.read_text(encoding="utf-8").replace("Pobreza extrema", "Pobreza extrema (año)")
    path.write_bytes(text.encode("latin-1"))
    return package


def _semicolons(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    path = package.parent / NEW_SERIES
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    return package


def _missing_column(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    rewrite_lines(package.parent / NEW_SERIES, lambda ls: [line.split(",", 1)[1] for line in ls])
    return package


def _renamed_column(work: Path, refresh: bool = False) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "indicador,medida", "indicador,unidad")
    if refresh:
        refresh_checksums(package)
    return package


def _non_numeric(work: Path, refresh: bool = False) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "43.9", "n.d.")
    if refresh:
        refresh_checksums(package)
    return package


def _infinite(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "43.9", "inf")
    return package


def _share_out_of_range(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "43.9", "143.9")
    return package


def _duplicate(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    rewrite_lines(package.parent / NEW_SERIES, lambda ls: [*ls, ls[1]])
    return package


def _ragged(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "43.9,", "43.9,,")
    return package


def _unknown_row_label(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(package.parent / NEW_SERIES, "Pobreza extrema,", "Pobreza severa,")
    return package


def _unknown_indicator(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)

    def typo(descriptor: dict) -> None:
        resource(descriptor, NEW_SERIES)["x-clean"]["rows"]["Pobreza|porcentaje"] = "poverty_typo"

    edit_descriptor(package, typo)
    return package


STATE_ROW = "02,Baja California,Pobreza,porcentaje,2020,22.5,2021-08-05"  # line 3 of STATES


def _unknown_state(work: Path, refresh: bool = False) -> Path:
    package = snapshot_copy(work, STATES)
    replace_in_file(package.parent / STATES, STATE_ROW, STATE_ROW.replace("02,", "33,", 1))
    if refresh:
        refresh_checksums(package)
    return package


def _bad_period(work: Path) -> Path:
    package = snapshot_copy(work, STATES)
    replace_in_file(package.parent / STATES, STATE_ROW, STATE_ROW.replace(",2020,", ",20x0,"))
    return package


def _empty_vintage(work: Path) -> Path:
    package = snapshot_copy(work, STATES)
    replace_in_file(package.parent / STATES, STATE_ROW, STATE_ROW.removesuffix("2021-08-05"))
    return package


def _bad_indicator_kind(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    replace_in_file(
        package.parent / INDICATOR_MAP,
        "Multidimensional poverty,% of population,share,",
        "Multidimensional poverty,% of population,percent,",
    )
    return package


def _checksum(work: Path) -> Path:
    package = snapshot_copy(work, OLD_SERIES)
    replace_in_file(package.parent / OLD_SERIES, "46.1", "46.2")  # still a valid number
    return package


def _malformed_descriptor(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    package.write_text('{"resources": [\n  {"name": "x",\n', encoding="utf-8")
    return package


def _no_resources(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    edit_descriptor(package, lambda d: d.pop("resources"))
    return package


def _no_descriptor(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    package.unlink()
    return package


def _no_provenance(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    edit_descriptor(package, lambda d: resource(d, NEW_SERIES).pop("x-provenance"))
    return package


def _undescribed(work: Path) -> Path:
    package = snapshot_copy(work, NEW_SERIES)
    (package.parent / "inegi" / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return package


SHOCK_LOW, SHOCK_HIGH = schema_bounds("shock_year")

CASES = [
    # -- the raw files (cleaning reads each publisher's layout and names the raw cell) --
    Case("raw file missing", "validate", _missing, NEW_SERIES, None, None, "raw file is missing"),
    Case("raw file empty", "clean", _empty, NEW_SERIES, None, None, "file is empty"),
    Case("wrong encoding (latin-1)", "clean", _latin1, NEW_SERIES, None, None, "not UTF-8 text"),
    Case("wrong delimiter (;)", "clean", _semicolons, NEW_SERIES, 1, None, "wrong delimiter"),
    Case(
        "missing column", "clean", _missing_column, NEW_SERIES, 1, "indicador", "missing or renamed"
    ),
    Case("renamed column", "clean", _renamed_column, NEW_SERIES, 1, "medida", "missing or renamed"),
    Case(
        "non-numeric value", "clean", _non_numeric, NEW_SERIES, 2, "2020", "'n.d.' is not a number"
    ),
    Case("infinite value", "clean", _infinite, NEW_SERIES, 2, "2020", "not a finite number"),
    Case(
        "share outside 0-100",
        "clean",
        _share_out_of_range,
        NEW_SERIES,
        2,
        "2020",
        "share outside 0-100",
    ),
    Case(
        "duplicate indicator-geo-period-series",
        "clean",
        _duplicate,
        NEW_SERIES,
        2,
        "2016",
        "duplicate indicator-geo-period-series",
    ),
    Case("ragged row", "clean", _ragged, NEW_SERIES, 2, None, "has 8 cells, header has 7"),
    Case(
        "unknown row label",
        "clean",
        _unknown_row_label,
        NEW_SERIES,
        3,
        "indicador",
        "unknown row label",
    ),
    Case(
        "unknown indicator id in x-clean rows",
        "clean",
        _unknown_indicator,
        NEW_SERIES,
        2,
        "2016",
        "unknown indicator id 'poverty_typo'",
    ),
    Case("unknown state code", "clean", _unknown_state, STATES, 3, "cve_ent", "geo='33'"),
    Case("period not a year", "clean", _bad_period, STATES, 3, "anio", "'20x0' is not a period"),
    Case(
        "empty release/vintage",
        "clean",
        _empty_vintage,
        STATES,
        3,
        "publicacion",
        "release/vintage is empty",
    ),
    Case(
        "indicator map: unknown kind",
        "clean",
        _bad_indicator_kind,
        INDICATOR_MAP,
        2,
        "kind",
        "'percent' is not one of",
    ),
    # -- the snapshot's description (validation: schemas, sha256, provenance, coverage) --
    Case("checksum mismatch", "validate", _checksum, OLD_SERIES, None, None, "checksum mismatch"),
    Case(
        "renamed column (schema)",
        "validate",
        lambda w: _renamed_column(w, refresh=True),
        NEW_SERIES,
        1,
        "medida",
        "column 'medida' of the schema is missing from the header; the header has 'unidad' instead",
    ),
    Case(
        "non-numeric value (schema)",
        "validate",
        lambda w: _non_numeric(w, refresh=True),
        NEW_SERIES,
        2,
        "2020",
        "type-error",
    ),
    Case(
        "unknown state code (schema)",
        "validate",
        lambda w: _unknown_state(w, refresh=True),
        STATES,
        3,
        "cve_ent",
        "constraint-error",
    ),
    Case(
        "malformed datapackage.json",
        "validate",
        _malformed_descriptor,
        "datapackage.json",
        3,
        None,
        "malformed JSON",
    ),
    Case(
        "malformed datapackage.json (clean)",
        "clean",
        _malformed_descriptor,
        "datapackage.json",
        3,
        None,
        "malformed JSON",
    ),
    Case(
        "datapackage.json without resources",
        "validate",
        _no_resources,
        "datapackage.json",
        None,
        "resources",
        "no 'resources' list",
    ),
    Case(
        "datapackage.json missing",
        "validate",
        _no_descriptor,
        "datapackage.json",
        None,
        None,
        "descriptor not found",
    ),
    Case(
        "resource without provenance",
        "validate",
        _no_provenance,
        "datapackage.json",
        None,
        "x-provenance",
        "'inegi_pobreza_2016_2024' lacks provenance: publisher, table, vintage",
    ),
    Case(
        "raw file not described",
        "validate",
        _undescribed,
        "inegi/extra.csv",
        None,
        None,
        "not described",
    ),
    # -- params.yaml (checked against the typed schema before any notebook starts) --
    Case(
        "malformed params.yaml",
        "check-params",
        lambda w: params_file(w, "shock_year: 2020\npoverty_series: [lineamientos_2018\n"),
        "params.yaml",
        None,
        None,
        "malformed YAML",
    ),
    Case(
        "unknown parameter (misspelled key)",
        "check-params",
        lambda w: params_file(w, "shok_year: 2020\n"),
        "params.yaml",
        None,
        None,
        "unknown parameter 'shok_year' (allowed: ",
    ),
    Case(
        "wrong parameter type",
        "check-params",
        lambda w: params_file(w, "shock_year: '2020'\n"),
        "params.yaml",
        None,
        None,
        "parameter 'shock_year' = '2020'",
    ),
    Case(
        "year after the schema's range",
        "check-params",
        lambda w: params_file(w, f"shock_year: {SHOCK_HIGH + 1}\n"),
        "params.yaml",
        None,
        None,
        f"parameter 'shock_year' = {SHOCK_HIGH + 1}",
    ),
    Case(
        "year before the schema's range",
        "check-params",
        lambda w: params_file(w, f"shock_year: {SHOCK_LOW - 1}\n"),
        "params.yaml",
        None,
        None,
        f"parameter 'shock_year' = {SHOCK_LOW - 1}",
    ),
    Case(
        "unknown choice",
        "check-params",
        lambda w: params_file(w, "poverty_series: spliced\n"),
        "params.yaml",
        None,
        None,
        "parameter 'poverty_series' = 'spliced'",
    ),
    Case(
        "params.yaml missing",
        "check-params",
        lambda w: w / "params.yaml",
        "params.yaml",
        None,
        None,
        "parameter file not found",
    ),
]
assert len({c.name for c in CASES}) == len(CASES)


@dataclass(frozen=True)
class Outcome:
    """What one case's command did: its result and the folder its output would have gone to."""

    result: subprocess.CompletedProcess[str]
    out_dir: Path


Runner = Callable[..., subprocess.CompletedProcess[str]]


def _run_case(case: Case, work: Path, run: Runner = analysis_in_process) -> Outcome:
    work.mkdir(parents=True)
    target = case.prepare(work)
    out_dir = work / "out"
    if case.step == "validate":
        args = ["validate", "--package", str(target), "--summary", str(out_dir / "validation.json")]
    elif case.step == "clean":
        args = ["clean", "--package", str(target), "--out", str(out_dir / "indicators.csv")]
    else:
        args = ["check-params", "--params", str(target)]
    return Outcome(run(*args), out_dir)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_with_one_line_naming_file_row_and_field(case: Case, tmp_path: Path) -> None:
    outcome = _run_case(case, tmp_path / "case")
    line = one_error_line(outcome.result)
    assert re.search(location_pattern(case.file, case.row, case.field), line), line
    assert case.reason in line, line
    # Refused means nothing was written, not even a temporary file.
    assert not outcome.out_dir.exists() or not list(outcome.out_dir.iterdir())


#: One case per step, run both ways.
THROUGH_A_PROCESS = ("checksum mismatch", "non-numeric value", "unknown parameter (misspelled key)")


@pytest.mark.parametrize("name", THROUGH_A_PROCESS)
def test_the_command_prints_the_same_line_and_exit_code(name: str, tmp_path: Path) -> None:
    """`python -m analysis` (a real process, as make runs it) says what `main` says, exit 1."""
    case = next(c for c in CASES if c.name == name)
    direct = one_error_line(_run_case(case, tmp_path / "direct").result)
    real = one_error_line(_run_case(case, tmp_path / "real", analysis_cli).result)
    assert real == direct.replace(str(tmp_path / "direct"), str(tmp_path / "real"))


# ---- notebooks: run through `python -m analysis run-notebook` in a scratch folder -------------------


def write_notebook(path: Path, *sources: str, parameters: str = "shock_year = 1999") -> Path:
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(source) for source in sources]
    metadata = {
        "kernelspec": {"name": "mexico-cf", "display_name": "mexico-cf", "language": "python"}
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells, metadata=metadata), path)
    return path


def test_notebook_raising_mid_run_names_notebook_and_cell(tmp_path: Path) -> None:
    write_notebook(
        tmp_path / "notebooks" / "bad.ipynb",
        "x = 1",
        "raise ValueError('boom in cell')",
        "print('never reached')",
    )
    params_file(tmp_path, "shock_year: 2021\n")
    result = analysis_cli(
        "run-notebook",
        "notebooks/bad.ipynb",
        "reports/bad.ipynb",
        "--params",
        "params.yaml",
        cwd=tmp_path,
    )
    line = one_error_line(result)
    assert line.startswith("error: notebooks/bad.ipynb: cell 3 (`raise ValueError"), line
    assert "ValueError: boom in cell" in line
    assert not (tmp_path / "reports" / "bad.ipynb").exists()
    assert not list((tmp_path / "reports").glob(".*")), "temporary output left behind"
    failed = tmp_path / "build" / "failed" / "bad.FAILED.ipynb"
    assert failed.is_file() and "boom in cell" in failed.read_text(encoding="utf-8")
    assert f"kept at {Path('build/failed/bad.FAILED.ipynb')}" in line


def test_notebook_declaring_an_unknown_parameter_stops_before_any_kernel(tmp_path: Path) -> None:
    write_notebook(
        tmp_path / "nb.ipynb",
        "raise SystemExit('a kernel must not start')",
        parameters="shock_yaer = 2020",
    )
    params_file(tmp_path, "shock_year: 2021\n")
    result = analysis_cli("run-notebook", "nb.ipynb", "out/page.ipynb", cwd=tmp_path)
    line = one_error_line(result)
    assert (
        line == "error: nb.ipynb: parameters cell declares shock_yaer, not in params.yaml's schema"
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "build").exists()


@pytest.mark.build
def test_year_inside_schema_but_outside_the_data_fails_loudly(
    tmp_path: Path, built_checkout: Path
) -> None:
    """params.py accepts shock_year up to its upper bound, beyond the last year of data.

    The processed tables are those of the built checkout (default parameters); then the summary
    page runs with the bad year. Whichever step refuses it (a range check on the data, or the
    notebook), the run must stop with one line naming the parameter, or the notebook, the cell
    and the year, and write no page.
    """
    for folder in ("data/raw", "data/processed"):
        shutil.copytree(built_checkout / folder, tmp_path / folder)
    shutil.copy2(ROOT / "notebooks" / "01_index.ipynb", tmp_path / "01_index.ipynb")
    (tmp_path / "bad.yaml").write_text(f"shock_year: {SHOCK_HIGH}\n", encoding="utf-8")
    result = analysis_cli(
        "run-notebook",
        "01_index.ipynb",
        "reports/index.ipynb",
        "--params",
        "bad.yaml",
        cwd=tmp_path,
    )
    line = one_error_line(result)
    assert "shock_year" in line or (
        line.startswith("error: 01_index.ipynb: cell ") and str(SHOCK_HIGH) in line
    ), line
    assert not (tmp_path / "reports" / "index.ipynb").exists()


# ---- direct calls: inputs that reach the library without the command line ----------------------


def test_overrides_are_checked_before_any_kernel(tmp_path: Path) -> None:
    """`run_notebook(overrides=...)` (no CLI flag exists for it) checks types like params.yaml."""
    notebook = write_notebook(tmp_path / "nb.ipynb", "raise SystemExit('a kernel must not start')")
    params = params_file(tmp_path, "shock_year: 2021\n")
    with pytest.raises(ParameterError) as err:
        run_notebook(
            notebook,
            tmp_path / "out" / "page.ipynb",
            params,
            overrides={"shock_year": "2021"},
            failed_dir=tmp_path / "failed",
        )
    message = str(err.value)
    assert "\n" not in message and str(params) in message and "parameter 'shock_year'" in message
    assert not (tmp_path / "out").exists() and not (tmp_path / "failed").exists()
