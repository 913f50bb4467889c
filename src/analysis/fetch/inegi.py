"""INEGI client: the Indicadores API (BIE/BISE, version 2.0, JSON) in, the BIE export layout out.

The answer is `{"Series": [{"INDICADOR", "FREQ", "LASTUPDATE", "OBSERVATIONS": [{"TIME_PERIOD":
"2026/02", "OBS_VALUE": "25971192.577", ...}]}]}`. The snapshot keeps BIE's own layout (and
`analysis.clean.readers.read_bie_series` reads it): a period column ("YYYY/QQ") and one value column
whose header names the series, rows ascending. `LASTUPDATE` becomes the vintage.

The API wants a personal token inside the URL path. It is read only from the environment variable
INEGI_API_TOKEN, used for the request and nowhere else: URLs shown or stored carry a placeholder,
and messages and urllib3's log lines pass through a redactor.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from analysis.fetch.http import (
    OFFLINE_HINT,
    FetchError,
    FetchSettings,
    Redactor,
    get_json,
    redacted_logs,
)

INEGI_SOURCE = "INEGI BIE"
TOKEN_ENV = "INEGI_API_TOKEN"
#: Stands for the token in every URL that is shown or written.
TOKEN_PLACEHOLDER = "<INEGI_API_TOKEN>"
TOKEN_HELP = "https://www.inegi.org.mx/app/desarrolladores/generatoken/Usuarios/token_Verify"


@dataclass(frozen=True)
class BieSeries:
    """One INEGI series as published."""

    indicator_id: str
    #: LASTUPDATE as an ISO date when it is recognisable, else as published ("" if absent).
    last_update: str
    #: (period, value text as published or None for a gap), periods ascending.
    observations: list[tuple[str, str | None]]


def token_from_env(indicator_id: str) -> str:
    """The token from INEGI_API_TOKEN; a FetchError (without network use) when it is not set."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise FetchError(
            INEGI_SOURCE,
            indicator_id,
            f"{TOKEN_ENV} is not set (get a token at {TOKEN_HELP}); {OFFLINE_HINT}",
        )
    return token


def series_url(
    settings: FetchSettings,
    indicator_id: str,
    token: str,
    *,
    language: str = "es",
    geo: str = "0700",
    source: str = "BIE",
) -> str:
    """The INDICATOR method URL (full history, version 2.0), without the `?type=json` query."""
    base = settings.inegi_url.rstrip("/")
    safe_token = token if token == TOKEN_PLACEHOLDER else quote(token, safe="")
    return f"{base}/INDICATOR/{indicator_id}/{language}/{geo}/false/{source}/2.0/{safe_token}"


def display_url(settings: FetchSettings, indicator_id: str, **options: str) -> str:
    """The request URL as it may be shown or stored: the token replaced by a placeholder."""
    return series_url(settings, indicator_id, TOKEN_PLACEHOLDER, **options) + "?type=json"


def _iso_date(text: str) -> str:
    """'20/08/2026 12:00:00 a. m.' -> '2026-08-20'; an ISO timestamp -> its date; else unchanged."""
    text = text.strip()
    if match := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if match := re.match(r"^(\d{4}-\d{2}-\d{2})", text):
        return match.group(1)
    return text


def _value_text(value: Any, indicator_id: str, period: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else None
    try:
        ok = text is not None and math.isfinite(float(text))
    except ValueError:
        ok = False
    if not ok:
        raise FetchError(
            INEGI_SOURCE, indicator_id, f"malformed value for {period}: {value!r} is not a number"
        )
    return text


def parse_series(payload: Any, indicator_id: str) -> BieSeries:
    """Check and unpack one INDICATOR answer; odd shapes and empty series are FetchErrors."""

    def fail(problem: str) -> FetchError:
        return FetchError(INEGI_SOURCE, indicator_id, problem)

    if isinstance(payload, list) and payload and all(isinstance(x, str) for x in payload):
        raise fail(f"API error: {'; '.join(payload)[:200]}")  # e.g. a rejected token
    if not isinstance(payload, dict) or not isinstance(payload.get("Series"), list):
        raise fail("unexpected response structure (no 'Series' list)")
    if not payload["Series"]:
        raise fail("empty result: the API returned no series")
    series = payload["Series"][0]
    if not isinstance(series, dict):
        raise fail("unexpected response: the series is not an object")
    if str(series.get("INDICADOR", indicator_id)) != indicator_id:
        raise fail(f"unexpected response: series of indicator '{series.get('INDICADOR')}'")
    observations = series.get("OBSERVATIONS") or []
    if not isinstance(observations, list):
        raise fail("unexpected response: OBSERVATIONS is not a list")
    if not observations:
        raise fail("empty result: the series has no observations")
    values: dict[str, str | None] = {}
    for obs in observations:
        period = obs.get("TIME_PERIOD") if isinstance(obs, dict) else None
        if not isinstance(period, str) or not period.strip():
            raise fail("unexpected response: an observation lacks TIME_PERIOD")
        period = period.strip()
        if period in values:
            raise fail(f"malformed response: period {period} appears twice")
        values[period] = _value_text(obs.get("OBS_VALUE"), indicator_id, period)
    if all(value is None for value in values.values()):
        raise fail("empty result: every observation is empty")
    return BieSeries(
        indicator_id=indicator_id,
        last_update=_iso_date(str(series.get("LASTUPDATE") or "")),
        observations=sorted(values.items()),
    )


def fetch_series(
    session: Any,
    indicator_id: str,
    *,
    token: str,
    settings: FetchSettings,
    language: str = "es",
    geo: str = "0700",
    source: str = "BIE",
) -> BieSeries:
    """Download one series' full history; the token never leaves the request itself."""
    redact = Redactor(token)
    url = series_url(settings, indicator_id, token, language=language, geo=geo, source=source)
    with redacted_logs(redact):
        payload = get_json(
            session,
            url,
            {"type": "json"},
            source=INEGI_SOURCE,
            indicator=indicator_id,
            settings=settings,
            redact=redact,
        )
    try:
        return parse_series(payload, indicator_id)
    except FetchError as exc:  # the server's own text could echo the request path
        problem = redact(exc.problem)
    raise FetchError(INEGI_SOURCE, indicator_id, problem)


def bie_csv(series: BieSeries, period_header: str, value_header: str) -> str:
    """The BIE export text: header `period,value`, one row per period (an empty cell for a gap)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([period_header, value_header])
    for period, value in series.observations:
        writer.writerow([period, value or ""])
    return buffer.getvalue()
