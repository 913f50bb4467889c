"""Words for numbers and lists, shared by every sentence the pages print."""

from __future__ import annotations

import pandas as pd


def fmt_pct(value: float, decimals: int = 1) -> str:
    """12.345 -> '12.3%'."""
    return f"{value:.{decimals}f}%"


def change_words(value: float, decimals: int = 1) -> str:
    """Signed change in percentage points as words: 'a rise of 2.0 percentage points'."""
    rounded = round(value, decimals)
    if rounded == 0:
        return "no change"
    kind = "a rise" if rounded > 0 else "a fall"
    return f"{kind} of {abs(rounded):.{decimals}f} percentage points"


def enumerate_words(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def format_change(value: float, unit: str, percent: float | None = None) -> str:
    """A signed change in its unit of change (snapshot.catalog.change_unit), short, for tables:
    '-12.3 pp', '+8.9%', '-3.2 per 100,000 inhabitants', '-0.025' (an index's points). A change
    in percent uses `percent` when given (a level's change computed elsewhere), else `value`;
    empty where no change was computed."""
    shown = value if unit != "percent" or percent is None else percent
    if shown is None or pd.isna(shown):
        return ""
    if unit == "points":
        return f"{value:+.3f}"
    if unit == "percent":
        return f"{(value if percent is None else percent):+.1f}%"
    if unit == "percentage points":
        return f"{value:+.1f} pp"
    return f"{value:+,.1f} {unit}"


def change_amount(change: float, change_pct: float | None, unit: str) -> str:
    """The size of a change in words, unsigned, for sentences: '1.2 percentage points',
    '3.0 per 100,000 inhabitants', '4.4%' (a level's change needs its percentage)."""
    if unit == "percent":
        if change_pct is None or pd.isna(change_pct):
            raise ValueError("a level's change needs its percentage")
        return f"{abs(change_pct):.1f}%"
    if unit == "points":
        return f"{abs(change):.3f} points"
    return f"{abs(change):,.1f} {unit}"


def status_label(status: str, target_missed: bool = False) -> str:
    """A status as shown: 'limited progress, target missed' when the target date has passed."""
    return f"{status}, target missed" if target_missed else status


def lower_first(name: str) -> str:
    """A name inside a sentence: 'Jobs registered with IMSS' -> 'jobs registered with IMSS'; an
    acronym at the start stays ('GDP per person' stays as it is)."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
