"""What a reader sees on every rendered page: no internal id, no placeholder, no excess precision.

The visible text of a page is its body text, title and image alt texts (what a screen reader
reads), taken from the HTML with the standard parser; scripts and styles are left out. Then:

- ids: no catalog id (indicator_id of data/raw/framework/indicator_map.csv, source_id of the
  tidy table), series id (series of data/processed/indicators.csv) or column name of those two
  tables, as a whole token. Only ids that look like code (with an underscore or a digit) are
  looked for: a plain word such as `homicides` or `inegi` cannot be told from prose. File paths
  (anything with a "/") are not looked at: a raw file keeps its name.
- placeholders: "nan"/"NaN"/"NaT"/"<NA>", "None" as a value (prose such as "None of the ..." is
  fine: "None" followed by a lower-case word), "(s)"/"(es)" plurals, empty parentheses.
- precision: scientific notation (1.9e+05); more than one decimal before % or pp (except a small
  change given the decimals that show its size, report.precision.change_decimals: -0.07 pp); a value
  ending in ".00" (counts shown with decimals: "43,103.00", "70,426.000") or a thousands-separated
  value with two or more decimals; more than three decimals anywhere. Not looked at: anything
  with a "/" in it (links, paths, DOIs), hexadecimal hashes, dotted versions (7.17.2), dollar
  amounts in cents (the "$3.00 a day" poverty line), p-values ("p = 0.0012", or a table column
  headed "p" or "p-value"; p-values are exempt from the three-decimals rule only).

The checks are plain functions with unit tests on small HTML strings (unmarked); the test over
the built site is marked `build`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.report import precision
from analysis.site.render import html_name, read_site
from helpers import ROOT

PROJECT = ROOT / "reports"
SITE = read_site(PROJECT)
PAGES = [html_name(page) for page in SITE.pages]
INDICATOR_MAP = ROOT / "data" / "raw" / "framework" / "indicator_map.csv"
TIDY = ROOT / "data" / "processed" / "indicators.csv"

#: Elements whose text is never shown.
HIDDEN = frozenset({"script", "style", "template", "noscript"})
#: Elements that end a run of text (so two cells never join into one number).
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
#: A table column holding p-values (exempt from the decimals rule).
P_VALUE_HEADER = re.compile(r"^p(-value)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A run of visible text; `exempt` when it is a cell of a p-value column."""

    text: str
    exempt: bool = False


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self._buffer: list[str] = []
        self._hidden = 0
        self._headers: list[list[str]] = []  # per open table: header texts by column
        self._column: list[int] = []
        self._cell: str | None = None  # 'th' or 'td' while inside a cell
        self._cell_text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if not text:
            return
        exempt = False
        if self._cell == "td" and self._headers:
            headers, index = self._headers[-1], self._column[-1]
            exempt = index < len(headers) and bool(P_VALUE_HEADER.match(headers[index]))
        self.segments.append(Segment(text, exempt))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden += 1
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "table":
            self._headers.append([])
            self._column.append(-1)
        elif tag == "tr" and self._column:
            self._column[-1] = -1
        elif tag in ("th", "td") and self._column:
            self._column[-1] += 1
            self._cell, self._cell_text = tag, []
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.segments.append(Segment(" ".join(alt.split())))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "th" and self._headers:
            self._headers[-1].append(" ".join("".join(self._cell_text).split()))
        if tag in ("th", "td"):
            self._cell = None
        elif tag == "table" and self._headers:
            self._headers.pop()
            self._column.pop()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self._buffer.append(data)
        if self._cell is not None:
            self._cell_text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def visible_text(html: str) -> list[Segment]:
    """The runs of text a reader sees or hears on a page, in order."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.segments


def _context(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
    return f"...{text[start:end]}..."


# ---- ids -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_]+")
_PATH = re.compile(r"\S*/\S*")


def looks_like_code(name: str) -> bool:
    """An id a reader could tell from a word: it has an underscore or a digit."""
    return "_" in name or any(ch.isdigit() for ch in name)


def id_problems(segments: list[Segment], ids: frozenset[str]) -> list[str]:
    """Internal ids (whole tokens) in the visible text."""
    problems = []
    for segment in segments:
        text = _PATH.sub(" ", segment.text)  # a file's name is its name: data/raw/x/y_2019.csv
        for match in _TOKEN.finditer(text):
            if match[0] in ids:
                problems.append(f"internal id {match[0]!r}: {_context(text, match)}")
    return problems


def internal_ids() -> frozenset[str]:
    """Indicator, source and series ids and the column names of the indicator map and the tidy
    table, as far as they look like code."""
    catalog = pd.read_csv(INDICATOR_MAP, dtype=str)
    tidy = pd.read_csv(TIDY, dtype=str, usecols=["series", "source_id"])
    tidy_columns = pd.read_csv(TIDY, nrows=0).columns
    names = (
        set(catalog["indicator_id"].dropna())
        | set(tidy["series"].dropna())
        | set(tidy["source_id"].dropna())
        | set(catalog.columns)
        | set(tidy_columns)
    )
    return frozenset(name for name in names if looks_like_code(name)) - publisher_names()


def publisher_names() -> frozenset[str]:
    """Series and field names as the publishers spell them (each source's `x-provenance`
    `series_id`, e.g. OWID's column electricity_generation): a reader needs them to find the data
    at its source, so the Sources lists may show them even where an id of ours is the same word."""
    descriptor = json.loads((ROOT / "data" / "raw" / "datapackage.json").read_text("utf-8"))
    found: set[str] = set()
    for resource in descriptor["resources"]:
        found |= set(_TOKEN.findall(str(resource.get("x-provenance", {}).get("series_id", ""))))
    return frozenset(found)


# ---- placeholders ----------------------------------------------------------------------------

PLACEHOLDERS = (
    (
        re.compile(r"(?<![\w<])(?:nan|NaT)(?![\w>])|<NA>", re.IGNORECASE),
        "missing-value placeholder",
    ),
    (re.compile(r"\bNone\b(?!\s+[a-z])"), "'None' shown as a value"),
    (re.compile(r"\w\((?:s|es)\)"), "'(s)' plural"),
    (re.compile(r"\(\s*\)"), "empty parentheses (a missing part)"),
)


def placeholder_problems(segments: list[Segment]) -> list[str]:
    """Placeholders where a value or a word should be."""
    problems = []
    for segment in segments:
        for pattern, what in PLACEHOLDERS:
            for match in pattern.finditer(segment.text):
                problems.append(f"{what} {match[0]!r}: {_context(segment.text, match)}")
    return problems


# ---- precision -------------------------------------------------------------------------------

#: What is not a value of the report: links and paths, hashes, versions, p-values.
NOT_VALUES = (
    re.compile(r"\S*/\S*"),
    re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}\b"),
    re.compile(r"\b\d+(?:\.\d+){2,}\b"),
    re.compile(r"\bp(?:-values?)?\s*(?:=|<|>|≤|≥|of|:)\s*\d*\.\d+", re.IGNORECASE),
    re.compile(r"\$\d+\.\d\d(?!\d)"),  # a dollar amount in cents, e.g. the "$3.00 a day" line
)
_NUMBER_START = r"(?<![\w.])"
EXCESS = (
    (
        re.compile(_NUMBER_START + r"[-+\u2212]?\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.])"),
        "scientific notation",
    ),
    (
        re.compile(
            _NUMBER_START + r"[-+\u2212]?\d[\d,]*\.\d{2,}\s?(?:%|pp\b|percentage points?\b)"
        ),
        "more than one decimal on a percentage or percentage points",
    ),
    (re.compile(_NUMBER_START + r"\d[\d,]*\.0{2,}(?!\d)"), "decimals of zeros ('.00')"),
    (
        re.compile(_NUMBER_START + r"\d{1,3}(?:,\d{3})+\.(?!0+(?!\d))\d{2,}(?!\d)"),
        "a large value with decimals",
    ),
    (re.compile(_NUMBER_START + r"\d*\.\d{4,}(?!\d)"), "more than three decimals"),
)


def precision_problems(segments: list[Segment]) -> list[str]:
    """Values shown with more precision than their unit allows (see the module docstring)."""
    problems = []
    for segment in segments:
        text = segment.text
        for pattern in NOT_VALUES:
            text = pattern.sub(" ", text)
        for pattern, what in EXCESS:
            if segment.exempt and what == "more than three decimals":
                continue
            for match in pattern.finditer(text):
                if what == SMALL_CHANGE_RULE and _honest_small_change(match[0]):
                    continue
                problems.append(f"{what} {match[0]!r}: {_context(text, match)}")
    return problems


SMALL_CHANGE_RULE = "more than one decimal on a percentage or percentage points"


def _honest_small_change(shown: str) -> bool:
    """A small change shown with the decimals the package's one rule can give it ('-0.07 pp',
    from -0.0658: one decimal would misstate it by half, precision.change_decimals), judged on
    the smallest unrounded change the shown number can stand for; not excess precision."""
    number = re.match(r"[-+\u2212]?[\d,]*\.(\d+)", shown)
    if not number:
        return False
    shown = abs(float(number[0].replace(",", "").replace("\u2212", "-")))
    decimals = len(number[1])
    smallest = shown - 0.5 * 10.0**-decimals + 1e-9  # the smallest change that rounds to it
    return precision.change_decimals(smallest, 1) >= decimals


def page_text_problems(html: str, ids: frozenset[str]) -> list[str]:
    """Everything a reader should not see on one page."""
    segments = visible_text(html)
    return (
        id_problems(segments, ids) + placeholder_problems(segments) + precision_problems(segments)
    )


# ---- the checks catch each fault (unit) ------------------------------------------------------

IDS = frozenset({"inegi_base2018_sa", "poverty_multidimensional_pct", "indicator_id", "enut2014"})


def problems_of(body: str) -> list[str]:
    return page_text_problems(f"<html><body>{body}</body></html>", IDS)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<p>Series inegi_base2018_sa, seasonally adjusted.</p>",
            "internal id 'inegi_base2018_sa'",
        ),
        ("<td><code>poverty_multidimensional_pct</code></td>", "internal id"),
        ("<th>indicator_id</th>", "internal id 'indicator_id'"),
        ('<img src="x.png" alt="Time use, enut2014 to 2024">', "internal id 'enut2014'"),
        ("<h3>Poverty (outcome nan)</h3>", "missing-value placeholder 'nan'"),
        ("<td>NaN</td>", "missing-value placeholder"),
        ("<tr><td>latest_year</td><td>None</td></tr>", "'None' shown as a value"),
        ("<p>Gaps: None, see below.</p>", "'None' shown as a value"),
        ("<p>3 outcome(s) reached.</p>", "'(s)' plural"),
        ("<p>The value for () was 3.</p>", "empty parentheses"),
        ("<td>1.928e+05</td>", "scientific notation '1.928e+05'"),
        ("<p>Poverty fell 2.35 pp.</p>", "more than one decimal on a percentage"),
        ("<p>It fell 0.10 pp.</p>", "more than one decimal on a percentage"),
        ("<p>It was 41.92% in 2018.</p>", "more than one decimal on a percentage"),
        ("<p>43,103.00 applications</p>", "decimals of zeros ('.00') '43,103.00'"),
        ("<td>70,426.000</td>", "decimals of zeros"),
        ("<td>12,345.67 jobs</td>", "a large value with decimals"),
        ("<p>a rate of 1.00 times the pace</p>", "decimals of zeros"),
        ("<td>0.4345</td>", "more than three decimals '0.4345'"),
        ("<p>p = 0.0123 but the slope was 0.12345</p>", "more than three decimals '0.12345'"),
        (
            "<table><tr><th>Slope</th><th>p</th></tr><tr><td>0.12345</td><td>0.0012</td></tr></table>",
            "more than three decimals '0.12345'",
        ),
    ],
)
def test_checks_catch_each_fault(body: str, expected: str) -> None:
    problems = problems_of(body)
    assert any(expected in p for p in problems), problems


def test_checks_pass_text_written_for_people() -> None:
    body = (
        "<h2>Poverty</h2><p>Multidimensional poverty fell from 41.9% in 2018 to 29.6% in 2024, "
        "-12.3 pp; a change of -0.07 pp (one decimal would say -0.1); +0.04 pp; "
        "None of the outcomes missed data; 43,103 applications; 1,234.5 MtCO2e; "
        "a Gini of 0.435; p = 0.0012; p-value of 0.00034; nbconvert 7.17.2, Python 3.11.7; "
        "the $3.00 a day line; commit 33aea26f0e9b, sha256 67b19c5b3c162b1c0a4766dc1e32ae3989791da98b65f0811be1d1dd909c86c7; "
        "homicides (a plain word); "
        '<a href="https://doi.org/10.1016/j.x.2020.1234">10.1016/j.x.2020.1234</a>; '
        "data/raw/framework/indicator_map.csv; data/raw/inegi/enut2014.csv; 2026-09-01; 38.0%.</p>"
        "<table><tr><th>Year</th><th>Rate (%)</th><th>p-value</th></tr>"
        "<tr><td>2020</td><td>43.9</td><td>0.0004</td></tr></table>"
        "<script>var x = 'inegi_base2018_sa nan 0.123456';</script>"
        '<img src="x.png" alt="Poverty fell from 41.9% to 29.6%">'
    )
    assert problems_of(body) == []


def test_cells_never_join_into_one_number() -> None:
    segments = visible_text("<table><tr><td>1.2</td><td>345</td></tr></table><p>a<br>b</p>")
    assert [s.text for s in segments] == ["1.2", "345", "a", "b"]


# ---- every rendered page (build) -------------------------------------------------------------


@pytest.fixture(scope="module")
def ids() -> frozenset[str]:
    if not TIDY.is_file():
        pytest.fail(f"{TIDY.relative_to(ROOT)} not found: run `make all` first", pytrace=False)
    return internal_ids()


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_page_text_is_for_people(page: str, ids: frozenset[str]) -> None:
    path = PROJECT / SITE.output_dir / page
    assert path.is_file(), f"{path.relative_to(ROOT)} not found: run `make all` first"
    problems = page_text_problems(path.read_text(encoding="utf-8"), ids)
    assert not problems, f"{page}: {len(problems)} problems\n  " + "\n  ".join(problems[:40])
