"""Loaders of the model tables own the dtypes; the notebooks' former table logic, on small inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.models.step import write_tables
from analysis.models.tables import (
    TEXT_COLUMNS,
    method_columns,
    method_name,
    read_counterfactuals,
    read_forecasts,
    read_method_coverage,
    read_progress,
    read_progress_by_cross_cutting,
    read_progress_by_outcome,
    read_recovery,
    read_table,
)
from analysis.report.display import unsupported_methods


def test_every_model_table_has_a_dtype_contract() -> None:
    assert set(TEXT_COLUMNS) == set(paths.MODEL_TABLES)


def test_periods_and_codes_stay_text(tmp_path: Path) -> None:
    write_tables(
        {
            "progress": pd.DataFrame(
                {
                    "run": ["framework"],
                    "indicator_id": ["gdp"],
                    "base_period": ["2019"],
                    "latest_period": ["2024"],
                    "outcomes": ["3;4"],
                    "cross_cutting": ["1"],
                    "ratio": [0.5],
                }
            ),
            "progress_by_outcome": pd.DataFrame({"run": ["sdg"], "group": ["10"], "assessed": [2]}),
            "progress_by_cross_cutting": pd.DataFrame({"run": ["sdg"], "group": ["01"]}),
            "recovery": pd.DataFrame(
                {"shock_start": ["2020"], "recovery_period": ["2022"], "back_on_trend": ["2023"]}
            ),
            "counterfactuals": pd.DataFrame({"period": ["2021"], "observed": [1.0]}),
            "forecasts": pd.DataFrame({"period": ["2030"], "mean": [2.0]}),
        },
        tmp_path,
    )
    progress = read_progress(tmp_path)
    assert progress.loc[0, "base_period"] == "2019"
    assert progress.loc[0, "cross_cutting"] == "1"
    assert progress.loc[0, "ratio"] == 0.5
    assert read_progress_by_outcome(tmp_path).loc[0, "group"] == "10"
    assert read_progress_by_cross_cutting(tmp_path).loc[0, "group"] == "01"  # not 1
    recovery = read_recovery(tmp_path)
    assert recovery.loc[0, "shock_start"] == "2020"
    assert recovery.loc[0, "back_on_trend"] == "2023"
    assert read_counterfactuals(tmp_path).loc[0, "period"] == "2021"
    assert read_forecasts(tmp_path).loc[0, "period"] == "2030"


def test_an_unknown_table_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="not a model table"):
        read_table("nowhere", tmp_path)


COVERAGE = pd.DataFrame(
    {
        "indicator_id": ["a", "b", "c"],
        "name": ["A", "B", "C"],
        "n_points": [20, 5, 3],
        "supports_its": [True, False, False],
        "supports_peak_trough": [True, True, False],
    }
)


def test_method_coverage_reads_supports_as_bool(tmp_path: Path) -> None:
    write_tables({"method_coverage": COVERAGE}, tmp_path)
    coverage = read_method_coverage(tmp_path)
    assert coverage["supports_its"].dtype == bool
    assert method_columns(coverage) == ["supports_its", "supports_peak_trough"]
    assert method_name("supports_peak_trough") == "peak trough"


def test_unsupported_methods_lists_what_each_series_lacks() -> None:
    short = unsupported_methods(COVERAGE)
    assert short["indicator_id"].tolist() == ["b", "c"]
    assert short["Not applicable"].tolist() == [
        "interrupted time series",
        "interrupted time series, peak and trough",
    ]
