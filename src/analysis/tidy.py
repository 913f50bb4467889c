"""Build the tidy indicator table from the validated snapshot and check it with a pandera schema.

One row per indicator, geography, period and methodology series:
`indicator_id, geo, period, freq, value, unit, series, source_id, vintage`.
A failing check names the raw file, row and field the bad value came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.atomic import atomic_path
from analysis.catalog import GEO_CODES, Catalog, load_catalog, share_indicators
from analysis.errors import DataError
from analysis.readers import reader_for
from analysis.snapshot import load_descriptor

if TYPE_CHECKING:
    import pandera.pandas as pa

TIDY_COLUMNS = [
    "indicator_id",
    "geo",
    "period",
    "freq",
    "value",
    "unit",
    "series",
    "source_id",
    "vintage",
]
KEY = ["indicator_id", "geo", "period", "series"]
SORT = ["indicator_id", "geo", "series", "freq", "period"]
PERIOD_PATTERN = {"A": r"^\d{4}$", "Q": r"^\d{4}Q[1-4]$", "M": r"^\d{4}-(0[1-9]|1[0-2])$"}
_TRACE = ["source_file", "source_row", "source_field", "geo_field"]


def _period_matches_freq(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(False, index=df.index)
    for freq, pattern in PERIOD_PATTERN.items():
        rows = df["freq"] == freq
        ok.loc[rows] = df.loc[rows, "period"].str.match(pattern).fillna(False).astype(bool)
    return ok


def tidy_schema(catalog: Catalog) -> pa.DataFrameSchema:
    """The pandera schema of the tidy table for a given indicator map."""
    import pandera.pandas as pa  # heavy: only when validating, not when a notebook reads the table

    shares = share_indicators(catalog)

    def share_in_range(df: pd.DataFrame) -> pd.Series:
        return ~df["indicator_id"].isin(shares) | df["value"].between(0, 100)

    return pa.DataFrameSchema(
        {
            "indicator_id": pa.Column(str, pa.Check.isin(sorted(catalog)), nullable=False),
            "geo": pa.Column(str, pa.Check.isin(sorted(GEO_CODES)), nullable=False),
            "period": pa.Column(str, nullable=False),
            "freq": pa.Column(str, pa.Check.isin(sorted(PERIOD_PATTERN)), nullable=False),
            "value": pa.Column(float, nullable=False),
            "unit": pa.Column(str, nullable=False),
            "series": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), nullable=False),
            "source_id": pa.Column(str, nullable=False),
            "vintage": pa.Column(str, pa.Check.str_length(min_value=4), nullable=False),
        },
        checks=[
            pa.Check(_period_matches_freq, error="period does not match its frequency"),
            pa.Check(share_in_range, error="share outside 0-100"),
        ],
        unique=KEY,
        strict=False,
        coerce=False,
        name="tidy indicators",
    )


def read_resource(raw_dir: Path, resource: dict[str, Any], catalog: Catalog) -> pd.DataFrame:
    """Read one resource with its publisher reader and attach unit, series, source and vintage."""
    clean = resource["x-clean"]
    path = raw_dir / resource["path"]
    frame = reader_for(clean["reader"])(path, clean)
    unknown = frame.loc[~frame["indicator_id"].isin(catalog)]
    if not unknown.empty:
        first = unknown.iloc[0]
        raise DataError(
            f"unknown indicator id '{first['indicator_id']}'",
            file=path.as_posix(),
            row=int(first["source_row"]),
            field=str(first["source_field"]),
        )
    frame["unit"] = frame["indicator_id"].map(lambda i: catalog[i].unit)
    frame["series"] = clean["series"]
    frame["source_id"] = resource["name"]
    if "vintage" not in frame.columns:  # a reader may give each row its own release
        frame["vintage"] = str(resource["x-provenance"]["vintage"])
    frame["source_file"] = path.as_posix()
    frame["geo_field"] = clean.get("geo_field", "")  # the raw column a geography came from, if any
    return frame


def _error_for_failure(frame: pd.DataFrame, failure: pd.Series) -> DataError:
    """A DataError naming the raw cell behind the first failing row of the tidy table."""
    index = failure["index"]
    check = str(failure["check"])
    column = failure["column"] if isinstance(failure["column"], str) else None
    if index is None or pd.isna(index) or index not in frame.index:
        return DataError(f"tidy table check failed: {check}", file="data/processed/indicators.csv")
    row = frame.loc[index]
    if "unique" in check:
        key = ", ".join(f"{k}={row[k]}" for k in KEY)
        reason = f"duplicate indicator-geo-period-series ({key})"
    else:
        reason = f"{row['indicator_id']} {row['period']}: value fails '{check}'"
        if column and column not in {"value"}:
            reason = f"{column}='{row[column]}' fails '{check}'"
    field = str(row["source_field"])
    if column == "geo" and row.get("geo_field"):
        field = str(row["geo_field"])  # name the raw column that holds the bad code
    return DataError(reason, file=row["source_file"], row=int(row["source_row"]), field=field)


def validate_tidy(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Check the tidy table (types, known ids and geos, period formats, share ranges, unique keys)."""
    from pandera.errors import SchemaErrors

    try:
        return tidy_schema(catalog).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.copy()
        cases = cases.sort_values("index", na_position="last", kind="stable")
        raise _error_for_failure(frame, cases.iloc[0]) from None


def build_tidy(package_path: str | Path) -> pd.DataFrame:
    """Read every resource that has an `x-clean` section, validate, and return the sorted tidy table."""
    package_path = Path(package_path)
    descriptor = load_descriptor(package_path)
    catalog = load_catalog(package_path)
    frames = [
        read_resource(package_path.parent, resource, catalog)
        for resource in descriptor["resources"]
        if "x-clean" in resource
    ]
    if not frames:
        raise DataError("no resource has an 'x-clean' section", file=package_path)
    combined = pd.concat(frames, ignore_index=True)
    combined["value"] = combined["value"].astype(float)
    validate_tidy(combined, catalog)
    tidy = combined.sort_values(SORT, kind="stable").reset_index(drop=True)
    return tidy[TIDY_COLUMNS]


def write_tidy(tidy: pd.DataFrame, target: str | Path) -> None:
    """Write the tidy table as CSV atomically, in a stable byte-for-byte form."""
    with atomic_path(target, suffix=".csv") as tmp:
        tidy.to_csv(tmp, index=False, lineterminator="\n")


def read_tidy(path: str | Path) -> pd.DataFrame:
    """Read the tidy table back with its text columns as text (periods like '2020' stay strings)."""
    dtypes = {c: str for c in TIDY_COLUMNS if c != "value"}
    frame = pd.read_csv(path, dtype=dtypes | {"value": float}, keep_default_na=False)
    return frame[TIDY_COLUMNS]
