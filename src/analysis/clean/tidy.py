"""Build the tidy indicator table from the validated snapshot and check it with a pandera schema.

One row per indicator, geography, period and methodology series:
`indicator_id, geo, period, freq, value, unit, series, source_id, vintage`.
A failing check names the raw file, row and field the bad value came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.clean.plausibility import check_steps, check_values
from analysis.clean.readers import reader_for
from analysis.clean.states import derived_rows, fill_gaps
from analysis.core import paths
from analysis.core.atomic import atomic_path, identity
from analysis.core.errors import DataError
from analysis.core.periods import PERIOD_PATTERN, matches_freq
from analysis.snapshot.catalog import GEO_CODES, NATIONAL, Catalog, load_catalog, share_indicators
from analysis.snapshot.validate import load_descriptor

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


def _period_matches_freq(df: pd.DataFrame) -> pd.Series:
    return matches_freq(df["period"], df["freq"])


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


def vintages_of(periods: pd.Series, provenance: dict[str, Any]) -> pd.Series:
    """Each row's release: `period_vintages` names the release of periods added later (a new year
    column of a wide table), so older rows keep the resource's own vintage."""
    later = {str(k): str(v) for k, v in provenance.get("period_vintages", {}).items()}
    default = str(provenance["vintage"])
    return periods.map(lambda p: later.get(str(p), later.get(str(p)[:4], default)))


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
        frame["vintage"] = vintages_of(frame["period"], resource["x-provenance"])
    frame["source_file"] = path.as_posix()
    frame["geo_field"] = clean.get("geo_field", "")  # the raw column a geography came from, if any
    return frame


def _error_for_failure(frame: pd.DataFrame, failure: pd.Series) -> DataError:
    """A DataError naming the raw cell behind the first failing row of the tidy table."""
    index = failure["index"]
    check = str(failure["check"])
    column = failure["column"] if isinstance(failure["column"], str) else None
    if index is None or pd.isna(index) or index not in frame.index:
        return DataError(f"tidy table check failed: {check}", file=paths.INDICATORS)
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


#: Tidy tables already built in this process, by the content of their package (descriptor and
#: files): the same bytes clean the same way, so the test suite cleans each snapshot once. A
#: command-line step starts empty; a failed build is never kept.
_BUILT: dict[str, pd.DataFrame] = {}


def _content_key(package_path: Path, descriptor: dict[str, Any]) -> str:
    """sha256 over the descriptor and every described file (path and content)."""
    import hashlib

    from analysis.snapshot.validate import sha256_of

    digest = hashlib.sha256(package_path.read_bytes())
    for resource in descriptor["resources"]:
        path = package_path.parent / resource["path"]
        if path.is_file():
            digest.update(f"{resource['path']}:{sha256_of(path)}".encode())
    return digest.hexdigest()


def build_tidy(package_path: str | Path) -> pd.DataFrame:
    """Read every resource that has an `x-clean` section, validate, and return the sorted tidy table."""
    package_path = Path(package_path)
    descriptor = load_descriptor(package_path)
    key = _content_key(package_path, descriptor)
    if key not in _BUILT:
        _BUILT[key] = _build_tidy(package_path, descriptor)
    return _BUILT[key].copy()


def _build_tidy(package_path: Path, descriptor: dict[str, Any]) -> pd.DataFrame:
    catalog = load_catalog(package_path)
    frames = [
        read_resource(package_path.parent, resource, catalog)
        for resource in descriptor["resources"]
        if "x-clean" in resource
    ]
    if not frames:
        raise DataError("no resource has an 'x-clean' section", file=package_path)
    combined, conflicts = fill_gaps(pd.concat(frames, ignore_index=True), descriptor)
    derived = derived_rows(combined)  # computed from state values (clean/states.py), never typed
    derived["unit"] = derived["indicator_id"].map(lambda i: catalog[i].unit if i in catalog else "")
    known = derived.loc[derived["indicator_id"].isin(catalog)]
    check_values(known, catalog)  # derived values meet the same plausibility rules as raw ones
    check_steps(known, catalog)
    combined = pd.concat([combined, derived], ignore_index=True)
    combined["value"] = combined["value"].astype(float)
    validate_tidy(combined, catalog)
    if conflicts:  # a gap-filling table disagrees with a release beyond rounding
        raise conflicts[0]
    tidy = combined.sort_values(SORT, kind="stable").reset_index(drop=True)
    return tidy[TIDY_COLUMNS]


def write_tidy(tidy: pd.DataFrame, target: str | Path) -> bool:
    """Write the tidy table as CSV atomically, in a stable byte-for-byte form; an existing file
    with the same bytes is left untouched. Returns whether the file was written."""
    before = identity(target)
    with atomic_path(target, suffix=".csv", if_changed=True) as tmp:
        tidy.to_csv(tmp, index=False, lineterminator="\n")
    return identity(target) != before


def read_tidy(path: str | Path) -> pd.DataFrame:
    """Read the tidy table back with its text columns as text (periods like '2020' stay strings)."""
    dtypes = {c: str for c in TIDY_COLUMNS if c != "value"}
    # round_trip: a 17-digit value (WGI, WJP, a computed rate) reads back as the very same float
    frame = pd.read_csv(
        path, dtype=dtypes | {"value": float}, keep_default_na=False, float_precision="round_trip"
    )
    return frame[TIDY_COLUMNS]


# --- accessors: one series, one value, its vintage ------------------------------------------------


def series_values(
    tidy: pd.DataFrame, indicator_id: str, series: str, geo: str = NATIONAL
) -> pd.Series:
    """One series as values indexed by period (sorted); a missing series is a KeyError naming it."""
    rows = tidy[
        (tidy["indicator_id"] == indicator_id) & (tidy["series"] == series) & (tidy["geo"] == geo)
    ]
    if rows.empty:
        raise KeyError(f"no data for indicator '{indicator_id}', series '{series}', geo '{geo}'")
    return rows.set_index("period")["value"].sort_index()


def value_at(
    tidy: pd.DataFrame, indicator_id: str, period: str, series: str, geo: str = NATIONAL
) -> float:
    """The value of one indicator-series in one period; a gap is a KeyError naming what is missing."""
    values = series_values(tidy, indicator_id, series, geo)
    if period not in values.index:
        raise KeyError(f"'{indicator_id}' ({series}) has no value for {period}")
    return float(values[period])


def vintage_of(tidy: pd.DataFrame, indicator_id: str, series: str) -> str:
    """The release/vintage of a series as recorded in the tidy table."""
    vintages = tidy.loc[
        (tidy["indicator_id"] == indicator_id) & (tidy["series"] == series), "vintage"
    ].unique()
    return ", ".join(sorted(vintages))
