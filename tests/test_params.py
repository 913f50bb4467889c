"""Parameters: checked against the schema before any kernel; stamps change only with values."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core.errors import ParameterError
from analysis.core.params import Params, load_params, notebook_params, stamp_text
from analysis.site.runner import declared_parameters, resolve_values
from helpers import ROOT

NOTEBOOK = ROOT / "notebooks" / "01_index.ipynb"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load() -> None:
    params = load_params(ROOT / "params.yaml")
    assert params.shock_year == 2020 and params.poverty_series == "lineamientos_2018"


def test_every_schema_key_is_in_params_yaml() -> None:
    text = (ROOT / "params.yaml").read_text(encoding="utf-8")
    for key in Params.model_fields:
        assert f"\n{key}:" in text, f"{key} missing from params.yaml"


def test_unknown_key_names_it_and_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(
        ParameterError,
        match=r"unknown parameter 'shok_year' \(allowed: .*shock_year",
    ):
        load_params(write(tmp_path, "shok_year: 2020\n"))


def test_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"parameter 'shock_year' = '2020'"):
        load_params(write(tmp_path, "shock_year: '2020'\n"))


def test_out_of_range_and_bad_choice(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="shock_year"):
        load_params(write(tmp_path, "shock_year: 1850\n"))
    with pytest.raises(ParameterError, match="poverty_series"):
        load_params(write(tmp_path, "poverty_series: spliced\n"))


def test_malformed_yaml(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="malformed YAML"):
        load_params(write(tmp_path, "shock_year: [2020\n"))


def test_override_is_checked_too(tmp_path: Path) -> None:
    path = write(tmp_path, "shock_year: 2020\n")
    assert load_params(path, {"shock_year": 2021}).shock_year == 2021
    with pytest.raises(ParameterError, match="unknown parameter 'base_yr'"):
        load_params(path, {"base_yr": 2018})


def test_notebook_declares_known_parameters() -> None:
    declared = ["shock_year", "poverty_series", "framework_base_year", "framework_end_year"]
    declared += ["sdg_base_year", "sdg_target_year"]
    assert declared_parameters(NOTEBOOK) == declared
    values = resolve_values(NOTEBOOK, ROOT / "params.yaml")
    assert values == {
        "shock_year": 2020,
        "poverty_series": "lineamientos_2018",
        "framework_base_year": 2019,
        "framework_end_year": 2025,
        "sdg_base_year": 2015,
        "sdg_target_year": 2030,
    }


def test_notebook_declaring_unknown_parameter() -> None:
    with pytest.raises(ParameterError, match=r"declares confidence, not in params\.yaml's schema"):
        notebook_params(Params(), ["shock_year", "confidence"], "nb.ipynb")


def test_stamp_is_canonical() -> None:
    assert stamp_text({"b": 1, "a": 2}) == stamp_text({"a": 2, "b": 1})
    assert stamp_text({"a": 1}) != stamp_text({"a": 2})


def test_years_must_be_in_order(tmp_path: Path) -> None:
    with pytest.raises(
        ParameterError,
        match=r"framework_base_year \(2026\) must be before framework_end_year \(2025\)",
    ):
        load_params(write(tmp_path, "framework_base_year: 2026\n"))
    with pytest.raises(
        ParameterError, match=r"latest_year \(2010\) must be after framework_base_year \(2019\)"
    ):
        load_params(write(tmp_path, "latest_year: 2010\n"))


def test_confidence_level_range(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="confidence_level"):
        load_params(write(tmp_path, "confidence_level: 1.5\n"))


def test_years_must_be_covered_by_the_data() -> None:
    from analysis.core.params import check_coverage

    years = list(range(1990, 2026))
    check_coverage(load_params(ROOT / "params.yaml"), years)
    with pytest.raises(
        ParameterError,
        match=r"'shock_year' = 2026: the data cover 1990-2025, so it must be between 1991 and 2025",
    ):
        check_coverage(load_params(ROOT / "params.yaml", {"shock_year": 2026}), years)
    with pytest.raises(ParameterError, match="'latest_year' = 1990"):
        check_coverage(
            Params.model_construct(
                **(load_params(ROOT / "params.yaml").model_dump() | {"latest_year": 1990})
            ),
            years,
        )
