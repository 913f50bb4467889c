"""The build facts the footer and the reproducibility page state: data vintage, build date, renderer."""

from __future__ import annotations

import datetime

from analysis.report.buildinfo import (
    data_vintage,
    display_date,
    footer_text,
    quarto_version,
    release_dates,
    renderer_text,
)
from analysis.report.labels import catalog

MONTHS = catalog()["site"]["months"]


def resource(vintage: str, publisher: str = "INEGI") -> dict[str, object]:
    return {"x-provenance": {"publisher": publisher, "vintage": vintage}}


def test_release_dates_read_months_and_days_not_bare_years_or_hashes() -> None:
    assert release_dates("SIE as downloaded 2026-07-01 (data to May 2026)") == [(2026, 7, 1)]
    assert release_dates("releases 2020-11 to 2026-02") == [(2020, 11, 0), (2026, 2, 0)]
    assert release_dates("2024 update") == []
    assert release_dates("commit 14765664687011bb, 20240627_2017") == []
    assert release_dates("2024-13 and 2024-02-30-1") == []  # no month 13; not a date


def test_data_vintage_is_the_newest_source_release_not_the_project_own_files() -> None:
    package = {
        "resources": [
            resource("2026-09"),
            resource("2025-01-09"),
            resource("2026-12-01", publisher="This project"),
            resource("2021"),
            {"name": "no provenance"},
        ]
    }
    assert data_vintage(package) == (2026, 9, 0)
    assert data_vintage({"resources": [resource("2026-09"), resource("2026-09-15")]}) == (
        2026,
        9,
        15,
    )
    assert data_vintage({"resources": [resource("not stated")]}) is None


def test_dates_and_footer_in_words() -> None:
    assert display_date((2026, 9, 0), MONTHS) == "September 2026"
    assert display_date((2025, 1, 9), MONTHS) == "9 January 2025"
    assert (
        footer_text(
            "September 2026", datetime.date(2026, 12, 1), "As of {vintage}; {built}.", MONTHS
        )
        == "As of September 2026; 1 December 2026."
    )


def test_renderer_text_names_the_renderer_make_uses() -> None:
    templates = {"quarto": "Quarto {version}", "nbconvert": "nbconvert {version}"}
    assert renderer_text("1.11.0", "7.17.2", templates) == "Quarto 1.11.0"
    assert renderer_text(None, "7.17.2", templates) == "nbconvert 7.17.2"
    assert quarto_version(lambda name: None) is None
    assert quarto_version(lambda name: "/nonexistent/quarto") is None
