"""Plausibility rules: values and periods a careless edit can produce but no official release can.

Each indicator gets a rule from its kind (the defaults below), which the indicator map may narrow
or widen with `plausible_min`, `plausible_max` and `plausible_step`. A rule bounds the value, the
change between consecutive observations of one series (per period elapsed: in the unit's points
for shares, rates and indices, relative for levels and counts), and the period, which may not
start after the access date of the copy it comes from, after its release when that is a date, or
after the build date. The first violation is one DataError naming file, row, field, value, rule.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.errors import DataError
from analysis.core.periods import step_count
from analysis.snapshot.catalog import Catalog, Indicator


@dataclass(frozen=True)
class Rule:
    """Bounds for one indicator: value range, and the largest change between consecutive
    observations per period elapsed (absolute in the unit, or relative when `relative`)."""

    low: float | None
    high: float | None
    step: float | None
    relative: bool

    def describe_step(self) -> str:
        if self.relative:
            return f"at most a factor of {1 + self.step:g} up or down per period"  # type: ignore[operator]
        return f"at most {self.step:g} points change per period"


#: Defaults by kind. Shares are % of a population; rates are % changes (growth, inflation);
#: levels and counts are positive and may not jump by more than the factor given per period.
KIND_RULES: dict[str, Rule] = {
    "share": Rule(0.0, 100.0, 25.0, relative=False),
    "rate": Rule(-100.0, 1000.0, 60.0, relative=False),
    "level": Rule(0.0, None, 1.0, relative=True),
    "count": Rule(0.0, None, 4.0, relative=True),
    "index": Rule(None, None, None, relative=False),
}


def rule_for(indicator: Indicator) -> Rule:
    """The indicator's rule: its kind's default, with the map's overrides applied."""
    base = KIND_RULES[indicator.kind]
    return replace(
        base,
        low=indicator.plausible_min if indicator.plausible_min is not None else base.low,
        high=indicator.plausible_max if indicator.plausible_max is not None else base.high,
        step=indicator.plausible_step if indicator.plausible_step is not None else base.step,
    )


def period_start(period: str) -> dt.date:
    """First day of a period string ('2020' -> 2020-01-01, '2020Q2' -> 2020-04-01, '2020-05' -> 2020-05-01)."""
    year = int(period[:4])
    if "Q" in period:
        return dt.date(year, 3 * int(period[5]) - 2, 1)
    if len(period) == 7:
        return dt.date(year, int(period[5:7]), 1)
    return dt.date(year, 1, 1)


def _date_in(text: object) -> dt.date | None:
    """A release date written as 'YYYY-MM-DD' or 'YYYY-MM' at the start of a vintage label."""
    match = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$", str(text).strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _fail(row: pd.Series, reason: str) -> DataError:
    return DataError(
        reason, file=row["source_file"], row=int(row["source_row"]), field=str(row["source_field"])
    )


def _who(row: pd.Series, indicator: Indicator) -> str:
    return f"{row['indicator_id']} ({indicator.unit}) {row['period']}: value {row['value']:g}"


def check_values(frame: pd.DataFrame, catalog: Catalog) -> None:
    """Range and finiteness of every value of a reader's frame (with source columns)."""
    rules = {i: rule_for(catalog[i]) for i in frame["indicator_id"].unique()}
    values = frame["value"].astype(float)
    low = frame["indicator_id"].map(lambda i: rules[i].low).astype(float)
    high = frame["indicator_id"].map(lambda i: rules[i].high).astype(float)
    suspect = ~np.isfinite(values) | (values < low) | (values > high)  # NaN bounds never flag
    for _, row in frame[suspect].iterrows():  # the first suspect row raises, with its reason
        indicator = catalog[row["indicator_id"]]
        rule = rule_for(indicator)
        value = float(row["value"])
        if not math.isfinite(value):
            raise _fail(
                row, f"{_who(row, indicator)} is not a finite number (rule: finite values only)"
            )
        if (rule.low is not None and value < rule.low) or (
            rule.high is not None and value > rule.high
        ):
            lower = "no lower bound" if rule.low is None else f"{rule.low:g}"
            upper = "no upper bound" if rule.high is None else f"{rule.high:g}"
            raise _fail(
                row,
                f"{_who(row, indicator)} is outside the plausible range {lower} to {upper} "
                f"(rule: range for a {indicator.kind})",
            )


def check_steps(frame: pd.DataFrame, catalog: Catalog) -> None:
    """The change between consecutive observations of each series, per period elapsed: shares,
    rates and indices by points, levels and counts by a factor (compounded per period, and not
    checked through zero, where a relative change is undefined)."""
    keys = ["indicator_id", "series", "geo", "freq"]
    steps = {i: rule_for(catalog[i]) for i in frame["indicator_id"].unique()}
    ordered = frame.assign(
        _n=[step_count(p, f) for p, f in zip(frame["period"], frame["freq"], strict=True)]
    ).sort_values([*keys, "_n"], kind="stable")
    previous = ordered.groupby(keys, sort=False)[["value", "_n", "period"]].shift(1)
    has_previous = previous["_n"].notna()
    step = ordered["indicator_id"].map(lambda i: steps[i].step).astype(float)
    relative = ordered["indicator_id"].map(lambda i: steps[i].relative).astype(bool)
    before = previous["value"].astype(float)
    after = ordered["value"].astype(float)
    elapsed = (ordered["_n"] - previous["_n"]).clip(lower=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.exp(np.abs(np.log(after / before)) / elapsed)
    positive = (before > 0) & (after > 0)
    credible = np.where(
        relative, ~positive | (factor - 1.0 <= step), (after - before).abs() <= step * elapsed
    )
    bad = has_previous & step.notna() & ~credible
    if not bad.any():
        return
    position = int(np.flatnonzero(bad.to_numpy())[0])
    row, last = ordered.iloc[position], previous.iloc[position]
    indicator = catalog[row["indicator_id"]]
    raise _fail(
        row,
        f"{_who(row, indicator)} after {float(last['value']):g} in {last['period']} "
        f"is not a credible change (rule: {steps[row['indicator_id']].describe_step()})",
    )


def _cached(function):
    """`function` memoised on its (hashable) argument: periods and vintages repeat a lot."""
    memory: dict = {}

    def call(value):
        if value not in memory:
            memory[value] = function(value)
        return memory[value]

    return call


def check_periods(frame: pd.DataFrame, resource: dict[str, Any], today: dt.date) -> None:
    """No period may start after the copy's access date, after its release date, or after today."""
    provenance = resource.get("x-provenance", {})
    limits = [("the build date", today)]
    accessed = _date_in(provenance.get("access_date"))
    if accessed is not None:
        limits.append(("the access date of this copy", accessed))
    starts = frame["period"].astype(str).map(_cached(period_start))
    releases = frame["vintage"].map(_cached(_date_in)) if "vintage" in frame else None
    latest = min(limit for _, limit in limits)
    suspect = starts > latest
    if releases is not None:
        suspect |= releases.notna() & (starts > releases.fillna(dt.date.max))
    for _, row in frame[suspect].iterrows():
        released = _date_in(row.get("vintage"))
        checks = [*limits, ("its release", released)] if released is not None else limits
        start = period_start(str(row["period"]))
        for what, limit in checks:
            if start > limit:
                hint = (
                    "; a value from a newer release needs that release in x-provenance.period_vintages"
                    if what == "its release"
                    else ""
                )
                raise _fail(
                    row,
                    f"{row['indicator_id']} has a value for {row['period']}, which starts after "
                    f"{what} ({limit.isoformat()}) (rule: no period later than its source){hint}",
                )


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def check_package(package_path: str | Path, today: dt.date | None = None) -> int:
    """Read every cleaned resource of the package with its reader and apply every rule; return
    the number of values checked. The first violation raises a DataError."""
    from analysis.clean.tidy import read_resource
    from analysis.snapshot.catalog import load_catalog
    from analysis.snapshot.validate import load_descriptor

    package_path = Path(package_path)
    descriptor = load_descriptor(package_path)
    catalog = load_catalog(package_path)
    today = today or build_date()
    frames = []
    for resource in descriptor["resources"]:
        if "x-clean" not in resource:
            continue
        frame = read_resource(package_path.parent, resource, catalog)
        frame["value"] = frame["value"].astype(float)
        check_values(frame, catalog)
        check_periods(frame, resource, today)
        frames.append(frame)
    if frames:
        check_steps(pd.concat(frames, ignore_index=True), catalog)
    return sum(len(f) for f in frames)
