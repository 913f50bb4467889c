"""The pipeline as a user meets it: outputs of `make all`, the rendered page, and make's rebuild logic.

The `build` tests read the real outputs of this checkout (`make test` runs `make all` first) or
edit a copy of it (`built_copy`); the others need only the sources.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.clean.tidy import read_tidy, validate_tidy, value_at
from analysis.report.summary import HEADLINES
from analysis.snapshot.catalog import load_catalog
from analysis.snapshot.validate import validate_snapshot
from helpers import RAW, ROOT, make_env, tree_digest

SITE_INDEX = ROOT / "reports" / "_site" / "index.html"


def make(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", *args], cwd=cwd, capture_output=True, text=True, check=False, env=make_env()
    )


def commands_of(result: subprocess.CompletedProcess[str]) -> str:
    """What a `make -n` would run, without make's own 'Nothing to be done' line."""
    assert result.returncode == 0, result.stderr
    return "\n".join(
        line for line in result.stdout.splitlines() if "Nothing to be done" not in line
    ).strip()


def page_text(path: Path) -> str:
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html_lib.unescape(text))


@pytest.mark.build
def test_processed_outputs_exist_and_are_valid() -> None:
    summary = json.loads((ROOT / "data/processed/validation.json").read_text(encoding="utf-8"))
    assert summary["valid"] and summary["n_resources"] == len(summary["resources"]) >= 4
    tidy = read_tidy(ROOT / "data/processed/indicators.csv")
    checked = tidy.assign(source_file="indicators.csv", source_row=0, source_field="")
    validate_tidy(checked, load_catalog(RAW / "datapackage.json"))
    assert len(tidy) > 100


@pytest.mark.build
def test_executed_page_ran_with_project_kernel() -> None:
    executed = json.loads((ROOT / "reports/index.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["kernelspec"]["name"] == "mexico-cf"
    assert executed["metadata"]["papermill"]["parameters"] == {
        "shock_year": 2020,
        "poverty_series": "lineamientos_2018",
        "framework_base_year": 2019,
        "framework_end_year": 2025,
        "sdg_base_year": 2015,
        "sdg_target_year": 2030,
    }
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]


@pytest.mark.build
def test_index_page_states_the_2020_poverty_rate_from_the_data() -> None:
    tidy = read_tidy(ROOT / "data/processed/indicators.csv")
    rate = value_at(tidy, "poverty_multidimensional_pct", "2020", "lineamientos_2018")
    assert rate == 43.9  # CONEVAL's published 2020 rate (2018 guidelines)
    text = page_text(SITE_INDEX)
    assert f"{rate:.1f}% in 2020" in text
    extreme = value_at(tidy, "poverty_extreme_pct", "2020", "lineamientos_2018")
    assert f"{extreme:.1f}% (2020)" in text


@pytest.mark.build
def test_index_page_has_figure_table_and_sources() -> None:
    html = SITE_INDEX.read_text(encoding="utf-8")
    images = re.findall(r'<img\b[^>]*\bsrc="(exhibits/index/fig-[\w-]+\.png)"', html)
    assert images, "no figure image on the index page"
    for image in images:  # the figure file is in the site beside the page, and is a PNG
        assert (SITE_INDEX.parent / image).read_bytes()[:4] == b"\x89PNG", image
    assert "Figure 1:" in html and "Table 1:" in html
    assert "<h1>Mexico and the UN Cooperation Framework 2020-2025</h1>" in html
    text = page_text(SITE_INDEX)
    tidy = read_tidy(ROOT / "data/processed/indicators.csv")
    shown = tidy[(tidy["geo"] == "MEX") & (tidy["indicator_id"] == "poverty_multidimensional_pct")]
    # poverty, GDP growth and quarterly GDP in the overview, IMSS jobs in the key findings
    used = set(shown["source_id"]) | {"wdi_gdp_growth", "inegi_pib_trimestral_sa"}
    used |= {"imss_puestos_trabajo"}
    assert "IMSS" in page_text(SITE_INDEX)
    catalog = load_catalog(RAW / "datapackage.json")
    # the headline panel's indicators, national, each in its own headline series (a source that
    # gives another indicator a value in that series is not one this page quotes)
    pairs = {(i, catalog[i].headline_series) for _, i in HEADLINES}
    national = tidy[tidy["geo"] == "MEX"]
    keys = zip(national["indicator_id"], national["series"], strict=True)
    quoted = [pair in pairs for pair in keys]
    used |= set(national.loc[quoted, "source_id"])
    for resource in json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        listed = f"data/raw/{resource['path']}" in text
        assert listed == (resource["name"] in used), resource["name"]
        if listed:
            assert resource["x-provenance"]["vintage"] in text
    assert "read_tidy" not in html and "Warning" not in html


@pytest.mark.build
def test_second_make_all_has_nothing_to_do() -> None:
    assert commands_of(make("-n", "all")) == ""
    real = make("all")
    assert real.returncode == 0 and "Nothing to be done for 'all'" in real.stdout


def dry_run_after_touching(path: str) -> str:
    result = make("-n", "-W", path, "all")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.build
def test_touching_a_notebook_reruns_its_page_only(built_copy: Path) -> None:
    """A real make after touching the index notebook reruns that page and nothing upstream; the
    page comes out equal (apart from timings), so it is left untouched and nothing downstream
    (the reproducibility page, rendering) reruns. A dry run with -W cannot show this: it is
    pessimistic about outputs an earlier run left untouched (docs/DESIGN.md)."""
    (built_copy / "notebooks" / "01_index.ipynb").touch()
    result = make("all", cwd=built_copy)
    assert result.returncode == 0, result.stderr
    ran = [line for line in result.stdout.splitlines() if line.strip()]
    assert ran == [line for line in ran if line.startswith("ran notebooks/")], ran
    assert len(ran) == 1 and ran[0].startswith(
        "ran notebooks/01_index.ipynb -> reports/index.ipynb"
    )
    assert ran[0].endswith("(unchanged)")
    assert "Nothing to be done" in make("all", cwd=built_copy).stdout


@pytest.mark.build
def test_touching_raw_data_reruns_the_chain() -> None:
    commands = dry_run_after_touching("data/raw/coneval/pobreza_nacional_2008_2018.csv")
    for step in ("analysis validate", "analysis clean", "run-notebook", "analysis render"):
        assert step in commands


def test_help_lists_every_documented_target() -> None:
    result = make("help")
    assert result.returncode == 0
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):.*## (.+)$", makefile, flags=re.M)
    assert {"all", "test", "clean", "help"} <= {t for t, _ in targets}
    for target, description in targets:
        assert re.search(rf"^\s+{target}\s+{re.escape(description)}$", result.stdout, flags=re.M)


@pytest.mark.build
def test_make_clean_removes_outputs_but_never_raw_data(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(ROOT / "Makefile", copy / "Makefile")
    shutil.copytree(ROOT / "data" / "raw", copy / "data" / "raw")
    shutil.copytree(
        ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    for generated in [
        "data/processed/indicators.csv",
        "build/params/x.json",
        "reports/_site/index.html",
        "reports/index.ipynb",
    ]:
        (copy / generated).parent.mkdir(parents=True, exist_ok=True)
        (copy / generated).write_text("generated", encoding="utf-8")
    before = tree_digest(copy / "data" / "raw")
    result = make("clean", cwd=copy)
    assert result.returncode == 0, result.stderr
    assert tree_digest(copy / "data" / "raw") == before
    assert validate_snapshot(copy / "data" / "raw" / "datapackage.json").valid
    for generated in ["data/processed", "build", "reports/_site", "reports/index.ipynb"]:
        assert not (copy / generated).exists(), generated


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name
)
def test_committed_notebooks_are_clean_and_parameterised(notebook: Path) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), (
        "strip outputs before committing"
    )
    assert nb["cells"][0]["cell_type"] == "raw" and "title:" in "".join(nb["cells"][0]["source"])
    assert any("parameters" in c["metadata"].get("tags", []) for c in code)
    assert nb["metadata"]["kernelspec"]["name"] == "mexico-cf"


@pytest.mark.build
def test_parameter_stamps_rerun_only_on_changed_values(built_copy: Path) -> None:
    assert commands_of(make("-n", "all", cwd=built_copy)) == ""
    params = built_copy / "params.yaml"
    params.write_text(
        "# reworded comment only\n" + params.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert commands_of(make("-n", "all", cwd=built_copy)) == "", "a comment edit must rerun nothing"
    params.write_text(
        params.read_text(encoding="utf-8").replace("shock_year: 2020", "shock_year: 2021"),
        encoding="utf-8",
    )
    commands = commands_of(make("-n", "all", cwd=built_copy))
    assert "run-notebook notebooks/01_index.ipynb" in commands and "analysis clean" not in commands


@pytest.mark.build
def test_bad_parameter_stops_before_any_notebook(built_copy: Path) -> None:
    params = built_copy / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "shok_year: 2020\n", encoding="utf-8")
    (built_copy / "notebooks" / "01_index.ipynb").touch()
    result = make("all", cwd=built_copy)
    assert result.returncode != 0
    assert "unknown parameter 'shok_year'" in result.stderr
    assert "run-notebook" not in result.stdout


@pytest.mark.build
def test_strip_outputs_round_trip() -> None:
    from analysis.site.strip import strip_outputs

    executed = (ROOT / "reports" / "index.ipynb").read_text(encoding="utf-8")
    stripped = json.loads(strip_outputs(executed))
    code = [c for c in stripped["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    committed = (ROOT / "notebooks" / "01_index.ipynb").read_text(encoding="utf-8")
    assert strip_outputs(committed) == committed  # committed notebooks are already clean


@pytest.mark.build
def test_command_line_parameters(built_copy: Path) -> None:
    misspelled = make("-n", "all", "BASE_YAER=2018", cwd=built_copy)
    assert misspelled.returncode != 0 and "unknown variable(s) BASE_YAER" in misspelled.stderr
    invalid = make("-n", "all", "BASE_YEAR=2030", cwd=built_copy)
    assert invalid.returncode != 0
    assert "framework_base_year (2030) must be before framework_end_year (2025)" in invalid.stderr
    changed = commands_of(make("-n", "all", "BASE_YEAR=2018", cwd=built_copy))
    assert "analysis models --out-dir data/processed --set BASE_YEAR=2018" in changed
    assert (
        "run-notebook notebooks/03_progress.ipynb reports/progress.ipynb --set BASE_YEAR=2018"
        in changed
    )
    assert "analysis validate" not in changed and "analysis clean" not in changed
