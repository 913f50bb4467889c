"""How precisely a change can be told: the decimals a displayed change needs so that its sign and
size read honestly, and whether a direction-only verdict rests on a change smaller than the
precision the data were published with (the verdict stands as the model gave it; the page says
so beside it). Words in report/text/<lang>.yaml, section `precision`."""

from __future__ import annotations

import pandas as pd

from analysis.models.progress import value_decimals
from analysis.report.labels import label, text, text_n

#: A rounded change may misstate the unrounded one by less than this share of it; beyond it the
#: display adds decimals ('-0.07 pp', not '-0.1 pp' for a change of -0.066).
MAX_ROUNDING_ERROR = 0.5

#: At most this many decimals are added to a unit's own precision to show a change honestly.
MAX_EXTRA_DECIMALS = 2


def change_decimals(change: float, decimals: int) -> int:
    """Decimals a change is shown with: the unit's `decimals`, or more (up to
    MAX_EXTRA_DECIMALS) while rounding would show a non-zero change as zero or misstate its size
    by half or more (-0.066 at one decimal reads -0.1, 52% too large: two decimals, -0.07)."""
    if change is None or pd.isna(change) or change == 0:
        return decimals
    for shown in range(decimals, decimals + MAX_EXTRA_DECIMALS + 1):
        rounded = round(abs(change), shown)
        if abs(rounded - abs(change)) < MAX_ROUNDING_ERROR * abs(change):
            return shown
    return decimals + MAX_EXTRA_DECIMALS


def signed(change: float, decimals: int) -> str:
    """A change with its sign at `change_decimals` precision and thousands separators
    ('-0.07', '+12.3'); an exact zero without a sign ('0.0')."""
    shown = change_decimals(change, decimals)
    if change == 0:
        return f"{0:.{shown}f}"
    return f"{change:+,.{shown}f}"


def unsigned(change: float, decimals: int) -> str:
    """The size of a change at `change_decimals` precision, for sentences ('0.07')."""
    return f"{abs(change):,.{change_decimals(change, decimals)}f}"


def precision_step(row: pd.Series) -> float:
    """The smallest change the published values of a verdict's series can show: one unit of
    their last decimal (models.progress.published_decimals: 0.1 for a series published to one
    decimal). Without that column, the coarser of the base and latest values' own decimals."""
    decimals = row.get("published_decimals")
    if decimals is None or pd.isna(decimals):
        decimals = min(
            value_decimals(float(row["base_value"])), value_decimals(float(row["latest_value"]))
        )
    return 10.0 ** -int(decimals)


def below_precision(row: pd.Series) -> bool:
    """Whether a direction-only verdict rests on a change smaller than the published precision
    of its series (17.6 to 17.6 at one decimal: yes; 33.9 to 33.7: no). Target verdicts and rows
    without both values are never flagged."""
    if row.get("method") != "direction":
        return False
    base, latest = row.get("base_value"), row.get("latest_value")
    if base is None or latest is None or pd.isna(base) or pd.isna(latest):
        return False
    return abs(float(latest) - float(base)) < precision_step(row) - 1e-12


def marked(status: str, row: pd.Series) -> str:
    """A status as tables and sentences show it, with the precision mark where
    `below_precision`: 'limited progress (change smaller than the published precision)'."""
    if not below_precision(row):
        return status
    return text("precision.marked", status=status, mark=label("precision", "mark"))


def precision_note(rows: pd.DataFrame) -> str:
    """One sentence under a verdict table: how many of its direction-only verdicts rest on a
    change smaller than the published precision, or nothing when none does."""
    flagged = int(sum(below_precision(row) for _, row in rows.iterrows()))
    if not flagged:
        return ""
    return text_n("precision.note", flagged, mark=label("precision", "mark"))
