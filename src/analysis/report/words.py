"""Words for numbers and lists, shared by every sentence the pages print."""

from __future__ import annotations


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


#: How a change in each unit of change is written in tables (see snapshot.catalog.change_unit).
_CHANGE_SUFFIX = {"percentage points": " pp", "%": "%", "points": ""}


def format_change(value: float, unit: str) -> str:
    """A signed change in its unit, short: '-12.3 pp', '+8.9%', '-3.2 per 100,000 inhabitants',
    '-0.025' (an index's own points)."""
    if unit == "points":
        return f"{value:+.3f}"
    suffix = _CHANGE_SUFFIX.get(unit, f" {unit}")
    return f"{value:+,.1f}{suffix}"


def status_label(status: str, target_missed: bool = False) -> str:
    """A status as shown: 'limited progress, target missed' when the target date has passed."""
    return f"{status}, target missed" if target_missed else status


def lower_first(name: str) -> str:
    """A name inside a sentence: 'Jobs registered with IMSS' -> 'jobs registered with IMSS'; an
    acronym at the start stays ('GDP per person' stays as it is)."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
