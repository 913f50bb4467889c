"""Progress toward targets: known answers for the Eurostat/Open SDG ratio and the UNSD projection."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.models.progress import (
    NOT_ASSESSED,
    Run,
    assess_series,
    base_year_for,
    cagr,
    progress_table,
    score_with_target,
    score_without_target,
    status_with_target,
    status_without_target,
    summarise,
    unsd_ratio,
)
from analysis.snapshot.catalog import Indicator, load_catalog
from helpers import RAW

FRAMEWORK = Run("framework", 2019, 2025)


def annual(values: dict[int, float]) -> pd.Series:
    return pd.Series({str(year): value for year, value in values.items()})


def indicator(
    direction: int = -1, target: float | None = None, year: int | None = None, rule: str = ""
) -> Indicator:
    has_target = target is not None or rule
    return Indicator(
        id="x",
        name="X",
        unit="%",
        kind="share",
        outcomes=("1",),
        direction=direction,
        headline_series="s",
        target_value=target,
        target_year=year if has_target else None,
        target_rule=rule or ("absolute" if target is not None else ""),
        target_origin="test" if has_target else "",
    )


def test_cagr() -> None:
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    with pytest.raises(ValueError, match="positive"):
        cagr(1, 2, 0)


def test_growing_exactly_at_the_required_rate_is_on_track_with_ratio_one() -> None:
    # halve 40 -> 20 between 2019 and 2030: required CAGR r; observe exactly r until 2024
    required = (20 / 40) ** (1 / 11) - 1
    series = annual({year: 40 * (1 + required) ** (year - 2019) for year in range(2019, 2025)})
    result = assess_series(series, indicator(-1, rule="halve_from_base", year=2030), "s", FRAMEWORK)
    assert result.target_value == pytest.approx(20)
    assert result.cagr_required == pytest.approx(required)
    assert result.ratio == pytest.approx(1.0)
    assert result.status == "on track"
    assert result.unsd_ratio == pytest.approx(1.0)
    assert result.unsd_status == "on track"


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (20.0, "achieved"),
        (32.0, "acceleration needed"),
        (38.0, "limited progress"),
        (41.0, "deterioration"),
    ],
)
def test_status_bands_with_a_target(latest: float, status: str) -> None:
    series = annual({2019: 40.0, 2024: latest})
    result = assess_series(series, indicator(-1, rule="halve_from_base", year=2030), "s", FRAMEWORK)
    assert result.status == status


@pytest.mark.parametrize(
    ("growth", "status"),
    [
        (0.02, "significant progress"),
        (0.01, "moderate progress"),
        (0.002, "limited progress"),
        (-0.01, "deterioration"),
    ],
)
def test_status_bands_without_a_target(growth: float, status: str) -> None:
    series = annual({year: 50 * (1 + growth) ** (year - 2019) for year in range(2019, 2025)})
    assert assess_series(series, indicator(+1), "s", FRAMEWORK).status == status
    # the same movement is the opposite verdict when lower is better
    mirrored = assess_series(series, indicator(-1), "s", FRAMEWORK).status
    assert (mirrored == "deterioration") == (growth > 0)


def test_cut_offs_and_scores() -> None:
    assert status_with_target(0.95, False) == "on track"
    assert status_with_target(0.9499, False) == "acceleration needed"
    assert status_with_target(0.0, False) == "limited progress"
    assert status_without_target(0.015) == "significant progress"
    assert score_with_target(-0.6, False) == -5 and score_with_target(0.6, False) == 0
    assert score_with_target(1.3, False) == 5 and score_with_target(0.0, False) == pytest.approx(
        -2.5
    )
    assert score_with_target(-3, True) == 5
    assert score_without_target(0.0) == pytest.approx(-2.5)
    assert score_without_target(0.015) == pytest.approx(2.5)
    assert score_without_target(0.05) == 5 and score_without_target(-0.05) == -5


def test_unsd_projection() -> None:
    # base 10 in 2015, latest 12 in 2020 with CAGR 0; target 20 in 2030: projection 12 -> ratio 0.2
    assert unsd_ratio(10, 12, 0.0, 10, 20) == pytest.approx(0.2)


def test_zero_target_is_replaced_as_open_sdg_does() -> None:
    series = annual({2019: 4.0, 2024: 2.0})
    result = assess_series(series, indicator(-1, target=0.0, year=2030), "s", FRAMEWORK)
    assert math.isfinite(result.cagr_required) and result.cagr_required < -0.5
    assert result.status == "limited progress"


def test_refusals() -> None:
    one_point = assess_series(annual({2020: 5.0}), indicator(-1), "s", FRAMEWORK)
    assert one_point.status == NOT_ASSESSED and "at least 2" in one_point.note
    mixed = assess_series(annual({2019: -1.0, 2024: 2.0}), indicator(1), "s", FRAMEWORK)
    assert mixed.status == NOT_ASSESSED and "sign" in mixed.note


def test_base_year_rule() -> None:
    assert base_year_for([2016, 2018, 2020], 2019) == 2018  # last survey before the baseline
    assert base_year_for([2016, 2018, 2020], 2015) == 2016  # else the first year after
    assert base_year_for([2010, 2012], 2019) is None
    assert base_year_for([2019, 2020], 2019) == 2019


def test_passed_target_date() -> None:
    series = annual({2019: 20.0, 2025: 26.0})
    result = assess_series(series, indicator(1, target=35.0, year=2024), "s", FRAMEWORK)
    assert result.status == "not achieved by target date" and "has passed" in result.note


@pytest.fixture(scope="module")
def real_progress(snapshot_tidy: pd.DataFrame) -> pd.DataFrame:
    catalog = load_catalog(RAW / "datapackage.json")
    return progress_table(snapshot_tidy, catalog, [FRAMEWORK, Run("sdg", 2015, 2030)])


def test_poverty_2018_to_2024_is_classified_on_one_series(real_progress: pd.DataFrame) -> None:
    row = real_progress[
        (real_progress["run"] == "framework")
        & (real_progress["indicator_id"] == "poverty_multidimensional_pct")
    ].iloc[0]
    assert row["series"] == "lineamientos_2018"
    assert (row["base_period"], row["latest_period"]) == ("2018", "2024")
    assert (row["base_value"], row["latest_value"]) == (41.9, 29.6)
    assert row["target_value"] == pytest.approx(41.9 / 2)
    # Observed growth (29.6 / 41.9) ** (1/6) - 1 = -5.63% a year against the -5.61% a year that
    # halves the rate in 12 years: R = 1.003 >= 0.95, on track (29.6 is above the target 20.95,
    # so not achieved).
    assert row["ratio"] == pytest.approx(
        ((29.6 / 41.9) ** (1 / 6) - 1) * -1 / abs((0.5) ** (1 / 12) - 1)
    )
    assert row["ratio"] == pytest.approx(1.003, abs=0.001)
    assert row["status"] == "on track"


def test_context_indicators_are_not_assessed(real_progress: pd.DataFrame) -> None:
    assert "gdp_real_growth" not in set(real_progress["indicator_id"])
    assert "asylum_applications" not in set(real_progress["indicator_id"])


def test_summaries_say_how_many_indicators(real_progress: pd.DataFrame) -> None:
    by_outcome = summarise(real_progress, "outcomes")
    one = by_outcome[(by_outcome["run"] == "framework") & (by_outcome["group"] == "1")].iloc[0]
    assessed = real_progress[
        (real_progress["run"] == "framework")
        & real_progress["outcomes"].str.split(";").map(lambda o: "1" in o)
    ]
    assert one["indicators"] == assessed["indicator_id"].nunique()
    assert one["assessed"] == assessed["score"].notna().sum()
    assert -5 <= one["mean_score"] <= 5
