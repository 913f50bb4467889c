"""The display-name layer: reader-facing labels and sentence templates, read from one text file
per language (report/text/<lang>.yaml), so wording changes and translations never touch code."""

from __future__ import annotations

import functools
import math
import string
from importlib import resources
from typing import Any

import yaml

LANGUAGE = "en"


class MissingPart(ValueError):
    """A sentence was asked for without one of its parts (None, NaN or empty): raised instead of
    printing a sentence with a hole in it."""


@functools.cache
def catalog(language: str = LANGUAGE) -> dict[str, Any]:
    """The whole text file of `language`, parsed once per process."""
    text = (
        resources.files("analysis.report").joinpath("text", f"{language}.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def _where() -> str:
    return f"report/text/{LANGUAGE}.yaml"


def label(section: str, key: str) -> str:
    """The label of `key` in `section`; a KeyError naming both when the text file lacks it, so a
    missing label fails the build instead of showing an internal id."""
    entries = catalog()[section]
    if key not in entries:
        raise KeyError(f"no label for {key!r} in section {section!r} of {_where()}")
    return str(entries[key])


def series_label(series: str) -> str:
    """'inegi_base2018_sa' -> 'INEGI, base 2018, seasonally adjusted'."""
    return label("series", series)


def status_name(status: str) -> str:
    """A model status ('substantial progress') as readers see it (section `statuses`)."""
    return label("statuses", status)


def template(key: str) -> str:
    """The template at `key`, 'section.name' (a KeyError naming the key when it is missing)."""
    section, _, name = key.partition(".")
    return label(section, name)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in {"", "nan", "None"}


def text(key: str, **fields: object) -> str:
    """Template `key` ('section.name') filled with `fields` (str.format). A MissingPart names the
    key and the field when a field the template uses is absent, None, NaN or empty; fields whose
    name ends in '_clause' are optional clauses and may be empty."""
    pattern = template(key)
    used = {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(pattern)
        if name
    }
    for name in sorted(used):
        if name not in fields:
            raise MissingPart(f"{key} in {_where()} needs {name!r}, which was not given")
        if not name.endswith("_clause") and _missing(fields[name]):
            raise MissingPart(f"{key} in {_where()}: {name!r} is missing ({fields[name]!r})")
    return pattern.format(**fields)


def plural_key(key: str, n: float) -> str:
    """`key`_one for exactly 1 (or -1), `key`_other otherwise: the one layout of every word or
    template whose form follows a count ('1 state has', '3 states have')."""
    return f"{key}_{'one' if abs(n) == 1 else 'other'}"


def noun(n: float, key: str, section: str = "nouns") -> str:
    """The word for `n` of `key` (its `key`_one / `key`_other forms in `section`): 'state',
    'states'; in `alt`, verbs that agree with a count ('lies', 'lie')."""
    return label(section, plural_key(key.replace(" ", "_"), n))


def count(n: int, key: str) -> str:
    """'1 concept', '3 concepts': a count with its noun in the right number."""
    return f"{n:,} {noun(n, key)}"


def text_n(key: str, n: float, **fields: object) -> str:
    """Template `key`_one when `n` is 1 (or -1), `key`_other otherwise, filled like `text`: for
    sentences whose verb or wording changes with a count ('1 state has', '3 states have')."""
    return text(plural_key(key, n), n=n, **fields)


def period_label(period: object, short: bool = False) -> str:
    """A period as readers read it, the one format of every page: '2020-07' -> 'July 2020' (or
    'Jul 2020' when `short`, for tables and charts), '2018Q3' -> 'Q3 2018', 2018.0 (a year read
    as a number) -> '2018'; empty for a gap; anything else as it is."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return ""
    if isinstance(period, float) and period.is_integer():
        return str(int(period))
    value = str(period)
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        month = int(value[5:])
        if 1 <= month <= 12:
            name = catalog()["site"]["months_short" if short else "months"][month - 1]
            return text("periods.month", month=name, year=value[:4])
    if len(value) == 6 and value[4] == "Q" and value[:4].isdigit() and value[5] in "1234":
        return text("periods.quarter", quarter=value[5], year=value[:4])
    return value


def period_span(first: object, last: object) -> str:
    """Two periods as a span, short: 'Q1 2005–Q4 2019', 'Jan 2005–Feb 2020'."""
    return text("periods.span", first=period_label(first, True), last=period_label(last, True))
