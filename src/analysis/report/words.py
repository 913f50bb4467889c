"""Words for numbers and lists, shared by every sentence the pages print (the words themselves
live in report/text/<lang>.yaml, section `words`)."""

from __future__ import annotations

import pandas as pd

from analysis.report.display import change_decimals_of
from analysis.report.labels import catalog as text_catalog
from analysis.report.labels import label, status_name, text
from analysis.report.precision import unsigned


def fmt_pct(value: float, decimals: int = 1) -> str:
    """12.345 -> '12.3%'."""
    return text("words.percent", value=f"{value:.{decimals}f}")


def change_words(value: float, decimals: int = 1) -> str:
    """Signed change in percentage points as words: 'a rise of 2.0 percentage points'."""
    rounded = round(value, decimals)
    if rounded == 0:
        return label("words", "no_change")
    key = "words.rise_pp" if rounded > 0 else "words.fall_pp"
    return text(key, amount=f"{abs(rounded):.{decimals}f}")


def enumerate_words(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    separator = label("words", "list_separator")
    return text("words.list_last", items=separator.join(items[:-1]), last=items[-1])


def unit_words(unit: str) -> str:
    """A unit of change as sentences write it (section `units`), or the indicator's own unit
    ('per 100,000 inhabitants') as the indicator map gives it."""
    return label("units", unit) if unit in {"percentage points", "points", "percent"} else unit


def change_amount(
    change: float, change_pct: float | None, unit: str, indicator_unit: str = ""
) -> str:
    """The size of a change in words, unsigned, for sentences, at the precision of the
    indicator's values (display.change_decimals_of): '1.2 percentage points', '3.0 per 100,000
    inhabitants', '0.027 points' (a 0-1 coefficient), '4.4%' (a level's change needs its
    percentage). A small change keeps the decimals that show its size ('0.07 percentage points',
    precision.change_decimals)."""
    if unit == "percent":
        if change_pct is None or pd.isna(change_pct):
            raise ValueError("a level's change needs its percentage")
        return text("words.percent", value=unsigned(change_pct, 1))
    if change is None or pd.isna(change):
        raise ValueError("a change needs its amount")
    decimals = change_decimals_of(unit, indicator_unit)
    return text("words.amount", amount=unsigned(change, decimals), unit=unit_words(unit))


def status_label(status: str, target_missed: bool = False) -> str:
    """A status as shown: 'limited progress, target missed' when the target date has passed."""
    shown = status_name(status)
    return text("words.target_missed", status=shown) if target_missed else shown


def lower_first(name: str) -> str:
    """A name inside a sentence: 'Jobs registered with IMSS' -> 'jobs registered with IMSS'; an
    acronym or a proper name at the start stays ('GDP per person', 'Gini coefficient', the
    text file's `words.keep_case`)."""
    if len(name) > 1 and name[1].isupper():
        return name
    if name.split(" ")[0] in text_catalog()["words"]["keep_case"]:  # a proper name: 'Gini ...'
        return name
    return name[:1].lower() + name[1:]
