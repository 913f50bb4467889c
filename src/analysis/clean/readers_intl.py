"""Readers for the international publishers' layouts: UNHCR, World Bank WGI and WDI API downloads,
the World Justice Project historical file and the UN SDG database as reshaped by Gapminder (DDF).

Like the readers in `readers`, each yields `indicator_id, geo, period, freq, value, source_row,
source_field` and a bad cell is one DataError naming file, row and field. Geographies are mapped
explicitly through the resource's `geo_codes`: a code that is not mapped is an error, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.clean.readers import (
    _YEAR,
    LONG_COLUMNS,
    _frame,
    _read_rows,
    _record,
    _require_fields,
    parse_number,
)
from analysis.core.errors import DataError


def _rows_with_fields(path: Path, required: list[str], header_row: int = 1):
    rows = list(_read_rows(path, header_row))
    if not rows:
        raise DataError("no data rows", file=path)
    _require_fields(path, list(rows[0][1]), required, header_row)
    return rows


def _geo(code: str, geo_codes: dict[str, str], path: Path, line: int, field: str) -> str:
    code = code.strip()
    if code not in geo_codes:
        known = ", ".join(sorted(geo_codes))
        raise DataError(
            f"unknown geography code '{code}' (mapped: {known})", file=path, row=line, field=field
        )
    return geo_codes[code]


def _year(text: str, path: Path, line: int, field: str) -> str:
    if not _YEAR.match(text.strip()):
        raise DataError(f"'{text}' is not a year (YYYY)", file=path, row=line, field=field)
    return text.strip()


# --- UNHCR refugee statistics (refugees R package tables) -----------------------------------------


def read_unhcr_sum(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A UNHCR table (one row per year, origin, asylum country and procedure): the sum over the rows
    that match `filter` (e.g. coa_iso=MEX: every origin, every procedure) of each column in `columns`,
    by year; `ratios` adds, per year, 100 x sum(numerator columns) / sum(denominator columns).

    A summed value remembers the first raw line of its year; a ratio names its columns as field.
    """
    filters: dict[str, str] = config.get("filter", {})
    columns: dict[str, str] = config.get("columns", {})
    ratios: dict[str, dict[str, list[str]]] = config.get("ratios", {})
    needed = sorted(
        {c for r in ratios.values() for c in (*r["numerator"], *r["denominator"])} | set(columns)
    )
    rows = _rows_with_fields(path, ["year", *filters, *needed])
    geo = str(config.get("geo", "MEX"))
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first_line: dict[str, int] = {}
    for line, row in rows:
        if any(row[field].strip() != wanted for field, wanted in filters.items()):
            continue
        year = _year(row["year"], path, line, "year")
        first_line.setdefault(year, line)
        for column in needed:
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                if value < 0:
                    raise DataError(
                        f"'{row[column]}' is negative (a count of persons)",
                        file=path,
                        row=line,
                        field=column,
                    )
                sums[year][column] += value
    records = []
    for year in sorted(sums):
        line = first_line[year]
        for column, indicator in columns.items():
            records.append(_record(indicator, geo, year, "A", sums[year][column], line, column))
        for indicator, parts in ratios.items():
            denominator = sum(sums[year][c] for c in parts["denominator"])
            if denominator > 0:  # no substantive decision that year: no rate, a gap
                numerator = sum(sums[year][c] for c in parts["numerator"])
                field = f"({'+'.join(parts['numerator'])})/({'+'.join(parts['denominator'])})"
                records.append(
                    _record(indicator, geo, year, "A", 100.0 * numerator / denominator, line, field)
                )
    if not first_line:
        raise DataError(f"no row matches the filter {filters}", file=path)
    return _frame(records, path)


# --- World Bank Worldwide Governance Indicators (long layout) -------------------------------------


def read_wgi_long(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """WGI long table (code, year, indicator, estimate, pctrank, ...): `rows` maps
    'indicator|measure' (e.g. 'va|pctrank') to indicator ids; '..' is a gap."""
    mapping: dict[str, str] = config["rows"]
    measures = sorted({key.split("|")[1] for key in mapping})
    rows = _rows_with_fields(path, ["code", "year", "indicator", *measures])
    geo_codes: dict[str, str] = config["geo_codes"]
    records = []
    for line, row in rows:
        geo = _geo(row["code"], geo_codes, path, line, "code")
        year = _year(row["year"], path, line, "year")
        for measure in measures:
            indicator = mapping.get(f"{row['indicator'].strip()}|{measure}")
            if indicator is None:
                continue
            value = parse_number(row[measure], file=path, row=line, field=measure)
            if value is not None:
                records.append(_record(indicator, geo, year, "A", value, line, measure))
    return _frame(records, path)


# --- World Justice Project Rule of Law Index, historical data file --------------------------------


def read_wjp_historical(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """WJP 'Historical Data' sheet (one row per country and edition, a column per score):
    `columns` maps score columns to indicator ids. An edition labelled with two years
    ('2017-2018') has no single reference year and is left out; `skip_editions` lists them so an
    unexpected label is an error."""
    columns: dict[str, str] = config["columns"]
    skip = set(config.get("skip_editions", []))
    rows = _rows_with_fields(path, ["Country Code", "Year", *columns])
    geo_codes: dict[str, str] = config["geo_codes"]
    records = []
    for line, row in rows:
        geo = _geo(row["Country Code"], geo_codes, path, line, "Country Code")
        if row["Year"].strip() in skip:
            continue
        year = _year(row["Year"], path, line, "Year")
        for column, indicator in columns.items():
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(_record(indicator, geo, year, "A", value, line, column))
    return _frame(records, path)


# --- UN SDG Global Database, DDF datapoints reshaped by Gapminder/open-numbers --------------------

#: DDF key columns that describe a value rather than disaggregate it.
DDF_DESCRIPTIVE = ("nature", "observation_status", "units")


def read_sdg_ddf(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A DDF datapoints file `ddf--datapoints--<series>--by--<keys>.csv`: key columns (geo_area,
    year and dimensions such as sex, age, location), then the value column named after the series.

    `select` fixes every dimension to its headline value (e.g. sex=bothsex); after selecting,
    two rows for one geography and year are an ambiguous duplicate and an error. A dimension
    present in the file but not selected is an error too, so a new disaggregation cannot slip in.
    """
    series = config["ddf_series"]
    select: dict[str, str] = config.get("select", {})
    geo_codes: dict[str, str] = config["geo_codes"]
    indicator = config["indicator"]
    geo_field = config.get("geo_field", "geo_area")
    rows = _rows_with_fields(path, [geo_field, "year", series, *select])
    fields = list(rows[0][1])
    ignored = set(config.get("ignore", DDF_DESCRIPTIVE))
    dimensions = [f for f in fields if f not in {geo_field, "year", series, *ignored}]
    unselected = [d for d in dimensions if d not in select]
    if unselected:
        raise DataError(
            f"dimension '{unselected[0]}' has no selected value in x-clean.select",
            file=path,
            row=1,
            field=unselected[0],
        )
    if config.get("units") and "units" in fields:
        select = {**select, "units": config["units"]}
    seen: dict[tuple[str, str], int] = {}
    records = []
    for line, row in rows:
        if any(row[d].strip() != wanted for d, wanted in select.items()):
            continue
        geo = _geo(row[geo_field], geo_codes, path, line, geo_field)
        year = _year(row["year"], path, line, "year")
        if (geo, year) in seen:
            raise DataError(
                f"ambiguous duplicate: {geo} {year} already on row {seen[(geo, year)]} with the "
                f"same selection {select}",
                file=path,
                row=line,
                field=series,
            )
        seen[(geo, year)] = line
        value = parse_number(row[series], file=path, row=line, field=series)
        if value is not None:
            records.append(_record(indicator, geo, year, "A", value, line, series))
    if not records:
        raise DataError(f"no row matches the selection {select}", file=path)
    return _frame(records, path)


# --- World Bank WDI API download (CSV with a four-line preamble) ----------------------------------

_PREAMBLE = (r'^"?Data Source"?,', r'^"?Last Updated Date"?,"?(\d{4}-\d{2}-\d{2})"?')


def wdi_preamble(path: Path) -> str:
    """The 'Last Updated Date' of a WDI API CSV, checking its preamble: line 1 'Data Source',
    line 3 'Last Updated Date', header on line 5. A missing preamble is a DataError."""
    if not path.is_file():
        raise DataError("raw file is missing", file=path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    expected = [(1, _PREAMBLE[0], "Data Source"), (3, _PREAMBLE[1], "Last Updated Date")]
    for number, pattern, label in expected:
        if len(lines) < number or not re.match(pattern, lines[number - 1]):
            raise DataError(
                f"WDI preamble missing: line {number} should start with '{label}' "
                "(header expected on line 5)",
                file=path,
                row=number,
            )
    return re.match(_PREAMBLE[1], lines[2]).group(1)  # type: ignore[union-attr]


def read_wdi_api(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """WDI API CSV (preamble, header on line 5, a row per economy and series, a column per year):
    `indicators` maps WDI codes to indicator ids (other series in the file are an error),
    `geo_codes` maps the economies kept (Mexico and aggregates). Each row carries the file's
    'Last Updated Date' as its vintage."""
    vintage = wdi_preamble(path)
    codes: dict[str, str] = config["indicators"]
    geo_codes: dict[str, str] = config["geo_codes"]
    rows = _rows_with_fields(path, ["Country Code", "Indicator Code"], header_row=5)
    fields = list(rows[0][1])
    records = []
    for line, row in rows:
        code = row["Indicator Code"].strip()
        if code not in codes:
            raise DataError(
                f"indicator code '{code}' is not mapped in x-clean.indicators",
                file=path,
                row=line,
                field="Indicator Code",
            )
        geo = _geo(row["Country Code"], geo_codes, path, line, "Country Code")
        for column in fields:
            if not _YEAR.match(column):
                continue
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(
                    _record(codes[code], geo, column, "A", value, line, column)
                    | {"vintage": vintage}
                )
    if not records:
        raise DataError("no data rows", file=path)
    return pd.DataFrame.from_records(records, columns=[*LONG_COLUMNS, "vintage"])


READERS_INTL = {
    "unhcr_sum": read_unhcr_sum,
    "wgi_long": read_wgi_long,
    "wjp_historical": read_wjp_historical,
    "sdg_ddf": read_sdg_ddf,
    "wdi_api": read_wdi_api,
}
