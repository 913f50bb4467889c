"""The models step of the pipeline: every model table the reports show, computed once from the tidy
table and the parameters, and written to data/processed/ (the notebooks only read them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.atomic import atomic_path, identity
from analysis.core.errors import DataError
from analysis.core.params import Params
from analysis.models.apply import method_coverage, recovery_tables
from analysis.models.progress import Run, progress_table, summarise
from analysis.snapshot.catalog import Catalog, SeriesMeta


def runs_from(params: Params) -> list[Run]:
    """The two assessment runs the parameters define: the Framework period and the SDG period."""
    return [
        Run("framework", params.framework_base_year, params.framework_end_year, params.latest_year),
        Run("sdg", params.sdg_base_year, params.sdg_target_year, params.latest_year),
    ]


def progress_tables(
    tidy: pd.DataFrame, catalog: Catalog, params: Params, meta: SeriesMeta | None = None
) -> dict[str, pd.DataFrame]:
    """The progress table and its summaries by outcome and by cross-cutting area."""
    breaks, notes = (meta.breaks, meta.period_notes) if meta is not None else ({}, {})
    progress = progress_table(tidy, catalog, runs_from(params), breaks, notes)
    return {
        "progress": progress,
        "progress_by_outcome": summarise(progress, "outcomes"),
        "progress_by_cross_cutting": summarise(progress, "cross_cutting"),
    }


def model_tables(
    tidy: pd.DataFrame, catalog: Catalog, params: Params, meta: SeriesMeta | None = None
) -> dict[str, pd.DataFrame]:
    """Every model table of the pipeline, by file name; the package's declared series breaks
    (`meta`) govern the progress, recovery and method-coverage tables alike."""
    breaks = meta.breaks if meta is not None else {}
    recovery = recovery_tables(
        tidy,
        catalog,
        params.shock_year,
        params.confidence_level,
        params.sdg_target_year,
        params.trend_window_years,
        breaks,
    )
    coverage = {"method_coverage": method_coverage(tidy, catalog, params.shock_year, breaks)}
    return progress_tables(tidy, catalog, params, meta) | recovery | coverage


def check_finite(table: pd.DataFrame, target: Path) -> None:
    """Refuse a table with an infinite number in it (a model divided by zero somewhere): one
    DataError naming the table, its row (as the CSV line) and column, before anything is written."""
    numeric = table.select_dtypes("number")
    bad = numeric.isin([np.inf, -np.inf])
    if bad.to_numpy().any():
        position, column = next(
            (i, c) for c in numeric.columns for i, flag in enumerate(bad[c].to_numpy()) if flag
        )
        raise DataError(
            f"model output {numeric[column].iloc[position]} is not finite; no table was written",
            file=target,
            row=position + 2,
            field=str(column),
        )


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> dict[Path, bool]:
    """Write each table as <out_dir>/<name>.csv atomically, with a fixed float format (stable
    bytes); a file that already holds the same bytes is left untouched. Returns path -> written.
    A table with an infinite number stops the step before any table is written."""
    for name, table in tables.items():
        check_finite(table, Path(out_dir) / f"{name}.csv")
    written = {}
    for name, table in tables.items():
        target = Path(out_dir) / f"{name}.csv"
        before = identity(target)
        with atomic_path(target, suffix=".csv", if_changed=True) as tmp:
            table.to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g")
        written[target] = identity(target) != before
    return written
