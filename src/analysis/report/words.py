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
