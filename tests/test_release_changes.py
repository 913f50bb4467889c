"""The changes page: every release pair named by both releases, and a period that one release
leaves out compared with the latest earlier release that gives it (so it is new only once)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.report.changes import (
    change_summary,
    compare_releases,
    earlier_sentence,
    release_pairs,
    release_table,
    revisions_table,
)
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.labels import series_label
from analysis.snapshot.catalog import Indicator, load_catalog
from helpers import RAW

PACKAGE = RAW / "datapackage.json"


def _tidy(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """(period, series, value) rows of one national count indicator 'a'."""
    frame = pd.DataFrame(rows, columns=["period", "series", "value"])
    return frame.assign(indicator_id="a", geo="MEX", freq="A", unit="persons", source_id="r")


CATALOG = {"a": Indicator(id="a", name="Applicants", unit="persons", kind="count")}
#: Three releases: the middle one quotes only 2020, so 2013 is missing from it.
CHAIN = ("comar_2021_07", "comar_2021_11", "comar_2023_03")
ROWS = [
    ("2013", CHAIN[0], 1296.0),
    ("2020", CHAIN[0], 41133.0),
    ("2020", CHAIN[1], 41004.0),
    ("2013", CHAIN[2], 1295.0),
    ("2020", CHAIN[2], 40912.0),
    ("2021", CHAIN[2], 129780.0),
]
PAIRS = [
    {"indicator_id": "a", "old": CHAIN[0], "new": CHAIN[1], "note": "n", "earlier": ()},
    {"indicator_id": "a", "old": CHAIN[1], "new": CHAIN[2], "note": "n", "earlier": CHAIN[:1]},
]


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, list, dict]:
    return build_tidy(PACKAGE), release_pairs(PACKAGE), load_catalog(PACKAGE)


def test_a_period_the_release_before_leaves_out_is_compared_with_an_earlier_one() -> None:
    """2013 is in the first and third releases only: in the second pair it is revised
    (1,296 -> 1,295, against the first release), not a new period."""
    changes = compare_releases(_tidy(ROWS), "a", CHAIN[1], CHAIN[2], earlier=CHAIN[:1]).set_index(
        "period"
    )
    assert changes.loc["2013", "status"] == "revised"
    assert changes.loc["2013", "against"] == CHAIN[0]
    assert changes.loc["2013", "revision"] == pytest.approx(-1)
    assert changes.loc["2020", "against"] == CHAIN[1]
    assert changes.loc["2021", "status"] == "new period"
    # Without the earlier release the same period would read as new: the fault this fixes.
    alone = compare_releases(_tidy(ROWS), "a", CHAIN[1], CHAIN[2]).set_index("period")
    assert alone.loc["2013", "status"] == "new period"


def test_rows_name_both_releases_and_say_where_an_older_value_comes_from() -> None:
    summary = release_table(_tidy(ROWS), PAIRS, CATALOG)
    names = summary["Indicator: releases"].tolist()
    assert names == [
        f"Applicants: {series_label(CHAIN[0])} → {series_label(CHAIN[1])}",
        f"Applicants: {series_label(CHAIN[1])} → {series_label(CHAIN[2])}",
    ]
    assert summary.loc[1, ["New", "Revised"]].tolist() == ["1", "2"]
    table = revisions_table(_tidy(ROWS), PAIRS, CATALOG)
    row_2013 = table[(table["Period"] == "2013")].iloc[0]
    assert row_2013["Change"] == f"revised (older value: {series_label(CHAIN[0])})"
    assert row_2013[["Older", "Newer", "Revision"]].tolist() == ["1,296", "1,295", "-1"]
    data = change_summary(_tidy(ROWS), PAIRS)
    assert data["compared with an earlier release"].tolist() == [0, 1]
    assert earlier_sentence(data).startswith("A release may quote only some years, so 1 period ")
    assert earlier_sentence(data.assign(**{"compared with an earlier release": 0})) == ""


def test_real_release_pairs_can_be_told_apart_and_fit(real) -> None:
    """Every row of the summary names a different pair (the COMAR chain has five), and both
    tables fit the text column."""
    tidy, pairs, catalog = real
    summary = release_table(tidy, pairs, catalog)
    names = summary["Indicator: releases"]
    assert len(summary) == len(pairs) and names.is_unique
    for name, pair in zip(names, pairs, strict=True):
        assert series_label(pair["old"]) in name and series_label(pair["new"]) in name
    table = revisions_table(tidy, pairs, catalog)
    starts = table["Indicator: releases"][table["Indicator: releases"] != ""]
    assert starts.is_unique
    assert table_width(summary, "Indicator: releases") <= WIDTH_BUDGET
    # Two text columns wrap at spaces here: the pair's name and the change with its release.
    change_words = max(len(word) for cell in table["Change"] for word in cell.split())
    narrow = table.drop(columns="Change")
    assert table_width(narrow, "Indicator: releases") + change_words <= WIDTH_BUDGET


def test_each_period_is_new_at_most_once_in_a_chain(real) -> None:
    """A period is 'new' only in the first release of its chain that gives it."""
    tidy, pairs, _ = real
    first_seen: dict[tuple[str, str, str], str] = {}
    for pair in pairs:
        changes = compare_releases(
            tidy, pair["indicator_id"], pair["old"], pair["new"], earlier=pair["earlier"]
        )
        chain = (pair["indicator_id"], pair["earlier"][0] if pair["earlier"] else pair["old"])
        for period in changes.loc[changes["status"] == "new period", "period"]:
            key = (*chain, str(period))
            assert key not in first_seen, f"{key} new in {first_seen.get(key)} and {pair['new']}"
            first_seen[key] = pair["new"]
