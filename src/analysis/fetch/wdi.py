"""World Bank WDI client: API v2 JSON in, the WDI bulk-CSV layout of the snapshot out.

The API answers `[metadata, data]` per page (`page`, `pages`, `per_page`, `total`, `lastupdated`);
each data record holds one country-year, with `"value": null` for a year without data. The bulk
CSV the snapshot keeps (and `analysis.clean.readers.read_wdi_wide` reads) has four preamble lines
("Data Source", blank, "Last Updated Date", blank), the header on line 5 and one fully quoted row
per country and indicator, years ascending. `lastupdated` becomes "Last Updated Date" and the
resource's vintage; values are written as the JSON text the API sent (no float round trip).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.fetch.http import FetchError, FetchSettings, get_json

WDI_SOURCE = "World Bank WDI"
#: First preamble line of every WDI bulk download.
DATA_SOURCE = "World Development Indicators"
#: The four label columns of the bulk layout, before the year columns.
ID_COLUMNS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class WdiSeries:
    """One indicator for one country as the API published it."""

    code: str
    name: str
    country_name: str
    country_code: str
    #: year -> value text as published; None where the API gave null (a gap).
    values: dict[int, str | None]
    #: The metadata's `lastupdated` (the WDI release date), "" when the API gave none.
    last_updated: str

    def years_with_values(self) -> list[int]:
        """Years holding a value (not null), ascending."""
        return sorted(year for year, value in self.values.items() if value is not None)


def indicator_url(settings: FetchSettings, country: str, code: str) -> str:
    """The v2 endpoint of one country's indicator series."""
    return f"{settings.wdi_url.rstrip('/')}/country/{country}/indicator/{code}"


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _page(payload: Any, code: str) -> tuple[dict[str, Any], list[Any], int]:
    """Split one page into (metadata, records, pages); API errors and odd shapes are FetchErrors."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        messages = payload[0].get("message")
        if isinstance(messages, list) and messages:
            parts = [
                f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip()
                for m in messages
                if isinstance(m, dict)
            ]
            raise FetchError(WDI_SOURCE, code, f"API error {'; '.join(parts) or messages!s}")
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
        raise FetchError(
            WDI_SOURCE, code, "unexpected response structure (expected [metadata, data])"
        )
    meta, records = payload
    pages, total = _as_int(meta.get("pages")), _as_int(meta.get("total"))
    if pages is None or total is None:
        raise FetchError(WDI_SOURCE, code, "unexpected response: metadata lacks pages or total")
    if total == 0 or records is None:
        raise FetchError(WDI_SOURCE, code, "empty result: the API returned no observations")
    if not isinstance(records, list):
        raise FetchError(WDI_SOURCE, code, "unexpected response: data part is not a list")
    return meta, records, pages


def _value_text(value: Any, code: str, year: str) -> str | None:
    """The published value as text (None for null); anything but a finite number is an error."""
    if value is None:
        return None
    text = str(value) if isinstance(value, str) else None
    try:
        ok = text is not None and math.isfinite(float(text))
    except ValueError:
        ok = False
    if not ok:
        raise FetchError(WDI_SOURCE, code, f"malformed value for {year}: {value!r} is not a number")
    return text


def _series(records: list[Any], code: str, country: str, last_updated: str) -> WdiSeries:
    values: dict[int, str | None] = {}
    names = {"name": "", "country_name": ""}
    for record in records:
        if not isinstance(record, dict):
            raise FetchError(
                WDI_SOURCE, code, "unexpected response: a data record is not an object"
            )
        indicator = record.get("indicator") or {}
        place = record.get("country") or {}
        year = str(record.get("date", ""))
        if not isinstance(indicator, dict) or indicator.get("id") != code:
            raise FetchError(WDI_SOURCE, code, "unexpected response: record of another indicator")
        if str(record.get("countryiso3code", "")).upper() != country:
            raise FetchError(
                WDI_SOURCE, code, f"unexpected response: record for country other than {country}"
            )
        if not _YEAR.match(year):
            raise FetchError(WDI_SOURCE, code, f"unexpected date '{year}' (annual YYYY expected)")
        if int(year) in values:
            raise FetchError(WDI_SOURCE, code, f"malformed response: year {year} appears twice")
        values[int(year)] = _value_text(record.get("value"), code, year)
        names["name"] = names["name"] or str(indicator.get("value") or "")
        if isinstance(place, dict):
            names["country_name"] = names["country_name"] or str(place.get("value") or "")
    if not any(v is not None for v in values.values()):
        raise FetchError(WDI_SOURCE, code, "empty result: every value is null")
    return WdiSeries(
        code=code,
        name=names["name"],
        country_name=names["country_name"],
        country_code=country,
        values=values,
        last_updated=last_updated,
    )


def fetch_indicator(
    session: Any,
    code: str,
    *,
    country: str = "MEX",
    date: str | None = None,
    settings: FetchSettings,
) -> WdiSeries:
    """Download every page of one indicator for one country (ISO3); `date` is e.g. '1990:2026'."""
    url = indicator_url(settings, country, code)
    records: list[Any] = []
    last_updated = ""
    page, pages = 1, 1
    while page <= pages:
        params = {"format": "json", "per_page": str(settings.per_page), "page": str(page)}
        if date:
            params["date"] = date
        payload = get_json(
            session, url, params, source=WDI_SOURCE, indicator=code, settings=settings
        )
        meta, page_records, pages = _page(payload, code)
        if pages > settings.max_pages:
            raise FetchError(
                WDI_SOURCE,
                code,
                f"malformed response: {pages} pages (at most {settings.max_pages})",
            )
        if page == 1:
            last_updated = str(meta.get("lastupdated") or "")
        records.extend(page_records)
        page += 1
    return _series(records, code, country.upper(), last_updated)


def wdi_csv(series: Sequence[WdiSeries], years: Sequence[int]) -> str:
    """The bulk-CSV text: preamble, header on line 5, one quoted row per series, given years."""
    last_updated = max((s.last_updated for s in series), default="")
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["Data Source", DATA_SOURCE])
    buffer.write("\n")
    writer.writerow(["Last Updated Date", last_updated])
    buffer.write("\n")
    writer.writerow([*ID_COLUMNS, *(str(year) for year in years)])
    for s in series:
        cells = [s.values.get(year) or "" for year in years]
        writer.writerow([s.country_name, s.country_code, s.name, s.code, *cells])
    return buffer.getvalue()
