"""What the rendered pages claim agrees with the data: no change of a rate stated in percent, and
no indicator called deteriorating or moving the wrong way while it moved in the desired direction.

Reads every page of reports/_site (built by `make all`) as text, sentence by sentence.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.report.words import lower_first
from analysis.snapshot.catalog import load_catalog
from helpers import RAW, ROOT

pytestmark = pytest.mark.build

SITE = ROOT / "reports" / "_site"
#: A change stated in percent: a signed percentage, or a percentage said to be above/below/up/down.
PERCENT_CHANGE = re.compile(
    r"\([+\-\u2212]\d[\d,.]*%\)|[+\-\u2212]\d[\d,.]*% |\d[\d,.]*% (?:above|below|higher|lower|up|down)"
    r"|(?:rose|fell|increased|decreased|grew|dropped) (?:by )?\d[\d,.]*%"
)
WRONG_WAY = re.compile(r"deteriorat|wrong way|against the desired direction", re.IGNORECASE)


def page_sentences(path: Path) -> list[str]:
    """The visible text of a page (no style, no images, no tables of numbers) as sentences."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script|table).*?</\1>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+(?=[A-Z*])", text) if s.strip()]


def listed_names(text: str) -> set[str]:
    """The items of an enumeration as the sentences write it ('a, b and c.' -> {a, b, c}), so a
    name is matched whole ('multidimensional poverty' is not 'spread of multidimensional poverty')."""
    text = text.strip().rstrip(".")
    head, _, last = text.rpartition(" and ")
    items = [*head.split(", "), last] if head else [text]
    return {item.strip() for item in items if item.strip()}


def rate_names(catalog) -> list[str]:
    """Names (as sentences write them) of indicators whose changes are in points, not percent."""
    from analysis.snapshot.catalog import change_unit

    return [lower_first(i.name) for i in catalog.values() if change_unit(i) != "percent"]


@pytest.fixture(scope="module")
def pages() -> dict[str, list[str]]:
    found = sorted(SITE.glob("*.html"))
    assert found, "reports/_site is empty: run make all first"
    return {p.name: page_sentences(p) for p in found}


def test_listed_names_are_whole_items() -> None:
    listed = listed_names(
        " spread of multidimensional poverty across the 32 states and forest area."
    )
    assert listed == {"spread of multidimensional poverty across the 32 states", "forest area"}
    assert "multidimensional poverty" not in listed


def test_the_pattern_catches_what_it_is_for() -> None:
    assert PERCENT_CHANGE.search("it rose to 4.4% in 2020 (+35.6%)")
    assert PERCENT_CHANGE.search("it stood 35.7% below its pre-2020 trend")
    assert not PERCENT_CHANGE.search("it rose from 3.3% to 4.4%, up 1.1 percentage points")


def test_no_change_of_a_rate_is_stated_in_percent(pages: dict[str, list[str]]) -> None:
    names = rate_names(load_catalog(RAW / "datapackage.json"))
    offending = [
        f"{page}: {sentence}"
        for page, sentences in pages.items()
        for sentence in sentences
        if PERCENT_CHANGE.search(sentence) and any(n.lower() in sentence.lower() for n in names)
    ]
    assert offending == []


def test_nothing_that_improved_is_called_a_deterioration(pages: dict[str, list[str]]) -> None:
    """Pages name runs in prose, not per clause, so an indicator counts as improved here when it
    moved in the desired direction in every run that assessed it (the per-run rule is tested on
    the sentence functions themselves)."""
    progress = pd.read_csv(ROOT / "data" / "processed" / "progress.csv")
    assessed = progress[progress["base_value"].notna()]
    moved_well = assessed["direction"] * (assessed["latest_value"] - assessed["base_value"]) > 0
    always = moved_well.groupby(assessed["indicator_id"]).all()
    names = [
        lower_first(n).lower()
        for n in assessed.drop_duplicates("indicator_id")
        .set_index("indicator_id")
        .loc[always[always].index, "name"]
    ]
    offending = []
    for page, sentences in pages.items():
        for sentence in sentences:
            for clause in re.split(r";", sentence):
                if WRONG_WAY.search(clause):
                    listed = listed_names(clause.lower().split(":", 1)[-1])
                    offending += [f"{page}: {name}" for name in names if name in listed]
    assert offending == []
