"""Loaders of the model tables in data/processed/: each owns its table's dtype contract, so no
notebook spells a path or a dtype. Period columns stay text ('2020', '2020-Q2'), group and
outcome codes stay text ('1', 'X1'); the other columns are read as pandas infers them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths

#: Columns of each model table that must not be parsed as numbers or booleans.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "progress": (
        "base_period",
        "latest_period",
        "outcomes",
        "cross_cutting",
        "annualised",
        "reason",
        "concept",
        "unit",
    ),
    "progress_by_outcome": ("group",),
    "progress_by_cross_cutting": ("group",),
    "recovery": (
        "shock_start",
        "first_period",
        "last_period",
        "reference_period",
        "worst_period",
        "recovery_period",
        "back_on_trend",
        "trend_fit_start",
        "trend_fit_end",
        "forecast_end",
        "last_comparable",
        "break_from",
        "first_after_break",
        "last_after_break",
        "recovery_run_end",
        "recovery_gap_end",
    ),
    "counterfactuals": ("period",),
    "forecasts": ("period",),
    "method_coverage": ("other_freq", "other_periods", "break_from"),
}

#: Prefix of method_coverage's yes/no columns, one per method (`supports_its`, ...).
SUPPORTS = "supports_"


def read_table(name: str, folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """The model table `name` as written by the models step, with its text columns as str."""
    return pd.read_csv(
        paths.model_table(name, folder), dtype=dict.fromkeys(TEXT_COLUMNS[name], str)
    )


def read_progress(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Progress of every assessed indicator, one row per run (framework, sdg)."""
    return read_table("progress", folder)


def read_progress_by_outcome(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Count per status and mean score by Framework outcome, per run."""
    return read_table("progress_by_outcome", folder)


def read_progress_by_cross_cutting(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Count per status and mean score by cross-cutting area, per run."""
    return read_table("progress_by_cross_cutting", folder)


def read_recovery(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Shock, recovery and break-test results of each recovery series."""
    return read_table("recovery", folder)


def read_counterfactuals(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Observed values against the pre-shock trend, by period."""
    return read_table("counterfactuals", folder)


def read_forecasts(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Forecasts to the target year with their prediction intervals."""
    return read_table("forecasts", folder)


def read_method_coverage(folder: str | Path = paths.PROCESSED_DIR) -> pd.DataFrame:
    """Which shock and trend methods each headline series is long enough for (bool columns)."""
    coverage = read_table("method_coverage", folder)
    methods = method_columns(coverage)
    coverage[methods] = coverage[methods].astype(bool)
    return coverage


def method_columns(coverage: pd.DataFrame) -> list[str]:
    """The `supports_*` columns of a method-coverage table, in table order."""
    return [c for c in coverage.columns if c.startswith(SUPPORTS)]


def method_name(column: str) -> str:
    """'supports_peak_trough' -> 'peak trough'."""
    return column.removeprefix(SUPPORTS).replace("_", " ")
