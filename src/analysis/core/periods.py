"""Period arithmetic for the tidy table's period strings ("2020", "2020Q2", "2020-05"), in one place.

Every stage that counts, compares, plots or fills periods uses these functions, so annual,
quarterly and monthly periods are handled one way across validation, models and figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

#: The period format of each frequency code in the tidy table.
PERIOD_PATTERN = {"A": r"^\d{4}$", "Q": r"^\d{4}Q[1-4]$", "M": r"^\d{4}-(0[1-9]|1[0-2])$"}
FREQ_WORDS: dict[str, str] = {"A": "annual", "Q": "quarterly", "M": "monthly"}
PANDAS_FREQ: dict[str, str] = {"A": "Y", "Q": "Q", "M": "M"}
#: Periods per year of each frequency.
PER_YEAR: dict[str, int] = {"A": 1, "Q": 4, "M": 12}
_COMPILED = {freq: re.compile(pattern) for freq, pattern in PERIOD_PATTERN.items()}


def check_freq(freq: str) -> str:
    """`freq` itself if it is A, Q or M; anything else is a ValueError."""
    if freq not in PANDAS_FREQ:
        raise ValueError(f"freq must be one of {sorted(PANDAS_FREQ)}, not {freq!r}")
    return freq


def to_period(label: str, freq: str) -> pd.Period:
    """One period string in the tidy table's format for `freq`; anything else is a ValueError."""
    text = str(label)
    if not _COMPILED[check_freq(freq)].match(text):
        raise ValueError(f"period {text!r} is not a {FREQ_WORDS[freq]} period")
    return pd.Period(text, freq=PANDAS_FREQ[freq])


def period_index(periods: Iterable[str], freq: str) -> pd.PeriodIndex:
    """Period strings as a PeriodIndex of frequency `freq` (A/Q/M)."""
    return pd.PeriodIndex([to_period(p, freq) for p in periods], freq=PANDAS_FREQ[freq])


def period_range_to(last: str, until: str, freq: str) -> list[str]:
    """The periods after `last` up to and including `until` (empty if `until` <= `last`)."""
    start, end = to_period(last, freq) + 1, to_period(until, freq)
    return (
        [str(p) for p in pd.period_range(start, end, freq=PANDAS_FREQ[freq])]
        if end >= start
        else []
    )


def infer_freq(periods: Iterable[str]) -> str:
    """The frequency (A/Q/M) that all the period strings share; mixed or empty is a ValueError."""
    labels = [str(p) for p in periods]
    for freq, pattern in _COMPILED.items():
        if labels and all(pattern.match(label) for label in labels):
            return freq
    raise ValueError("periods do not share one frequency (annual, quarterly or monthly)")


def matches_freq(periods: pd.Series, freqs: pd.Series) -> pd.Series:
    """Row by row: does each period string have the format of its frequency code?"""
    ok = pd.Series(False, index=periods.index)
    for freq, pattern in PERIOD_PATTERN.items():
        rows = freqs == freq
        ok |= rows & periods.astype(str).str.match(pattern)
    return ok


def step_count(period: str, freq: str) -> int:
    """A period as an integer, so consecutive periods of its frequency differ by one."""
    year = int(period[:4])
    if freq == "Q":
        return year * 4 + int(period[5]) - 1
    if freq == "M":
        return year * 12 + int(period[5:7]) - 1
    return year


def from_step_count(count: int, freq: str) -> str:
    """The inverse of `step_count`: 8081 (Q) -> '2020Q2'."""
    if freq == "Q":
        return f"{count // 4}Q{count % 4 + 1}"
    if freq == "M":
        return f"{count // 12}-{count % 12 + 1:02d}"
    return str(count)


def decimal_year(period: str, freq: str) -> float:
    """A period as a decimal year for plotting: 2020 -> 2020.0, 2020Q2 -> 2020.25, 2020-05 -> 2020.33."""
    year = int(period[:4])
    return year + (step_count(period, freq) - year * PER_YEAR[check_freq(freq)]) / PER_YEAR[freq]


def missing_periods(periods: list[str], freq: str) -> list[str]:
    """Periods absent between the first and the last, at the series' own regular step.

    The step is the most common distance between consecutive observations, so a biennial survey
    (2016, 2018, ...) is not reported as missing every odd year.
    """
    counts = sorted({step_count(p, freq) for p in periods})
    if len(counts) < 3:
        return []
    steps = pd.Series(counts).diff().dropna().astype(int)
    step = int(steps.mode().min())
    present = set(counts)
    return [
        from_step_count(i, freq) for i in range(counts[0], counts[-1] + 1, step) if i not in present
    ]
