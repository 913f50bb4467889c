"""Progress toward targets: the Open SDG measure (sdg-build ProgressMeasure.py, commit 139fede7) and
the UNSD projection, each case worked out by hand in its docstring."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.models.progress import (
    NOT_ASSESSED,
    Run,
    annual_values,
    assess_series,
    base_year_for,
    cagr,
    opensdg_score,
    opensdg_status,
    progress_table,
    summarise,
    unsd_ratio,
)
from analysis.snapshot.catalog import Indicator, load_breaks, load_catalog
from helpers import RAW

FRAMEWORK = Run("framework", 2019, 2025)


def annual(values: dict[int, float]) -> pd.Series:
    return pd.Series({str(year): value for year, value in values.items()})


def indicator(
    direction: int = -1,
    target: float | None = None,
    year: int | None = None,
    rule: str = "",
    kind: str = "share",
    unit: str = "% of population",
) -> Indicator:
    has_target = target is not None or rule
    return Indicator(
        id="x",
        name="X",
        unit=unit,
        kind=kind,  # type: ignore[arg-type]
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


def test_growing_exactly_at_the_required_rate_is_substantial_progress_with_ratio_one() -> None:
    """Halve 40 -> 20 between 2019 and 2030 needs CAGR r = 0.5^(1/11) - 1; growing exactly at r
    until 2024 gives R = 1 >= 0.95: substantial progress (Open SDG), on track (UNSD)."""
    required = (20 / 40) ** (1 / 11) - 1
    series = annual({year: 40 * (1 + required) ** (year - 2019) for year in range(2019, 2025)})
    result = assess_series(series, indicator(-1, rule="halve_from_base", year=2030), "s", FRAMEWORK)
    assert result.target_value == pytest.approx(20)
    assert result.cagr_required == pytest.approx(required)
    assert result.ratio == pytest.approx(1.0)
    assert (result.method, result.status) == ("target", "substantial progress")
    assert result.unsd_ratio == pytest.approx(1.0) and result.unsd_status == "on track"
    assert (
        result.change == pytest.approx(series.iloc[-1] - 40)
        and result.change_unit == "percentage points"
    )


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        # target 20 by 2030 from 40 in 2019: r = 0.5^(1/11) - 1 = -0.0611
        (20.0, "target achieved"),  # at the target
        (32.0, "moderate progress"),  # CAGR (32/40)^(1/5)-1 = -0.0436: R = 0.71
        (38.0, "limited progress"),  # -0.0102: R = 0.17
        (41.0, "deterioration"),  # +0.0049: R = -0.08
    ],
)
def test_status_bands_with_a_target(latest: float, status: str) -> None:
    series = annual({2019: 40.0, 2024: latest})
    result = assess_series(series, indicator(-1, rule="halve_from_base", year=2030), "s", FRAMEWORK)
    assert result.status == status


@pytest.mark.parametrize(
    ("growth", "status"),
    [
        (0.02, "substantial progress"),  # >= 1.5% a year
        (0.01, "moderate progress"),  # 0.5-1.5%
        (0.002, "limited progress"),  # 0-0.5%
        (-0.01, "deterioration"),  # below 0
    ],
)
def test_status_bands_without_a_target(growth: float, status: str) -> None:
    series = annual({year: 50 * (1 + growth) ** (year - 2019) for year in range(2019, 2025)})
    assert assess_series(series, indicator(+1), "s", FRAMEWORK).status == status
    # the same movement is the opposite verdict when lower is better
    mirrored = assess_series(series, indicator(-1), "s", FRAMEWORK).status
    assert (mirrored == "deterioration") == (growth > 0)


def test_cut_offs_and_scores_as_sdg_build_defines_them() -> None:
    """get_progress_status: >= high, >= med, >= low; get_score: with a target
    min(7.1429x - 4.2857, 5) from 0.6 and max(4.1667x - 2.5, -5) below; without one
    max(125x - 2.5, -5) below 0, 500x - 2.5 to 0.5%, 250x - 1.25 to 1.5%, min(500x - 5, 5)."""
    assert opensdg_status(0.95, "target") == "substantial progress"
    assert opensdg_status(0.9499, "target") == "moderate progress"
    assert opensdg_status(0.6, "target") == "moderate progress"
    assert opensdg_status(0.0, "target") == "limited progress"
    assert opensdg_status(-0.01, "target", achieved=True) == "target achieved"
    assert opensdg_status(0.015, "direction") == "substantial progress"
    assert opensdg_status(0.0049, "direction") == "limited progress"
    assert opensdg_score(0.6, "target") == pytest.approx(0.0, abs=1e-4)
    assert opensdg_score(1.3, "target") == 5 and opensdg_score(-0.6, "target") == -5
    assert opensdg_score(0.0, "target") == pytest.approx(-2.5)
    assert opensdg_score(-3, "target", achieved=True) == 5
    assert opensdg_score(0.0, "direction") == pytest.approx(-2.5)
    assert opensdg_score(0.005, "direction") == pytest.approx(0.0)
    assert opensdg_score(0.015, "direction") == pytest.approx(2.5)
    assert opensdg_score(0.05, "direction") == 5 and opensdg_score(-0.05, "direction") == -5


def test_unsd_projection() -> None:
    # base 10 in 2015, latest 12 in 2020 with CAGR 0; target 20 in 2030: projection 12 -> ratio 0.2
    assert unsd_ratio(10, 12, 0.0, 10, 20) == pytest.approx(0.2)


def test_zero_target_is_replaced_as_open_sdg_does() -> None:
    """Target 0 -> 0.001: r = (0.001/4)^(1/11) - 1 = -0.53; observed (2/4)^(1/5) - 1 = -0.13: R = 0.24."""
    series = annual({2019: 4.0, 2024: 2.0})
    result = assess_series(series, indicator(-1, target=0.0, year=2030), "s", FRAMEWORK)
    assert math.isfinite(result.cagr_required) and result.cagr_required < -0.5
    assert result.status == "limited progress"


def test_refusals_say_why() -> None:
    one_point = assess_series(annual({2020: 5.0}), indicator(-1), "s", FRAMEWORK)
    assert one_point.status == NOT_ASSESSED and "at least 2" in one_point.reason
    mixed = assess_series(annual({2019: -1.0, 2024: 2.0}), indicator(1), "s", FRAMEWORK)
    assert mixed.status == NOT_ASSESSED and "sign" in mixed.reason


def test_base_year_rule() -> None:
    """The base year; else the nearest year within one, the earlier winning a tie; else none
    (Open SDG would take the next year at any distance: 2022 for a 2019 base below)."""
    assert base_year_for([2016, 2018, 2020], 2019) == 2018  # tie 2018/2020: the earlier wins
    assert base_year_for([2016, 2020, 2022], 2019) == 2020  # only the later one is within a year
    assert base_year_for([2016, 2018, 2020], 2015) == 2016
    assert base_year_for([2022, 2024], 2019) is None  # three years away is too far
    assert base_year_for([2019, 2020], 2019) == 2019


def test_a_base_too_far_away_is_insufficient_data_not_a_2022_base() -> None:
    result = assess_series(annual({2022: 65.7, 2024: 61.7}), indicator(-1), "s", FRAMEWORK)
    assert result.status == NOT_ASSESSED and result.base_period is None
    assert "within 1 year of the 2019 base year" in result.reason


def test_improved_but_missed_target_earns_its_ratio_status_not_deterioration() -> None:
    """Clean electricity: 19.9 (2019) -> 25.9 (2025), target 35 by 2024. Observed CAGR
    (25.9/19.9)^(1/6) - 1 = 4.49%; required (35/19.9)^(1/5) - 1 = 11.95%; R = 0.376: limited
    progress, and the target date has passed without reaching it."""
    series = annual({2019: 19.9, 2025: 25.9})
    result = assess_series(series, indicator(1, target=35.0, year=2024), "s", FRAMEWORK)
    assert result.ratio == pytest.approx(
        ((25.9 / 19.9) ** (1 / 6) - 1) / ((35 / 19.9) ** (1 / 5) - 1)
    )
    assert result.status == "limited progress" and result.target_missed
    assert "has passed" in result.reason
    assert result.change == pytest.approx(6.0) and result.change_unit == "percentage points"


def test_change_is_in_the_indicator_s_own_unit() -> None:
    """A rate per 100,000: 29.0 -> 25.8 is -3.2 per 100,000; a count: 970 -> 852 is -12.2%."""
    rate = indicator(-1, kind="level", unit="per 100,000 inhabitants")
    result = assess_series(annual({2018: 29.0, 2024: 25.8}), rate, "s", FRAMEWORK)
    assert result.change == pytest.approx(-3.2) and result.change_unit == "per 100,000 inhabitants"
    count = indicator(-1, kind="count", unit="victims")
    result = assess_series(annual({2019: 970.0, 2024: 852.0}), count, "s", FRAMEWORK)
    assert result.change == pytest.approx(100 * (852 / 970 - 1)) and result.change_unit == "percent"


def quarters(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"freq": "Q", "period": list(values), "value": list(values.values())})


def test_a_quarterly_series_is_annualised_on_complete_years() -> None:
    """2019: (1+2+3+4)/4 = 2.5; 2020: (5+6+7+8)/4 = 6.5; 2021 has three quarters and is left out."""
    rows = quarters(
        {
            f"{y}Q{q}": v
            for (y, q), v in zip(
                [
                    (2019, 1),
                    (2019, 2),
                    (2019, 3),
                    (2019, 4),
                    (2020, 1),
                    (2020, 2),
                    (2020, 3),
                    (2020, 4),
                    (2021, 1),
                    (2021, 2),
                    (2021, 3),
                ],
                range(1, 12),
                strict=True,
            )
        }
    )
    values, how = annual_values(rows, "level")
    assert values.to_dict() == {"2019": 2.5, "2020": 6.5}
    assert "annual average of quarterly values" in how
    result = assess_series(values, indicator(1, kind="level", unit="MXN"), "s", FRAMEWORK, how)
    assert result.status == "substantial progress" and result.n_points == 2


def test_a_monthly_stock_uses_december_values() -> None:
    """Jobs: December 2019 = 100, December 2020 = 90; November's seasonal high of 120 is ignored."""
    rows = pd.DataFrame(
        {
            "freq": "M",
            "period": ["2019-11", "2019-12", "2020-11", "2020-12"],
            "value": [120.0, 100, 110, 90],
        }
    )
    values, how = annual_values(rows, "count")
    assert values.to_dict() == {"2019": 100.0, "2020": 90.0} and how.startswith("December")


@pytest.fixture(scope="module")
def real_progress(snapshot_tidy: pd.DataFrame) -> pd.DataFrame:
    catalog = load_catalog(RAW / "datapackage.json")
    breaks = load_breaks(RAW / "datapackage.json")
    return progress_table(snapshot_tidy, catalog, [FRAMEWORK, Run("sdg", 2015, 2030)], breaks)


def framework_row(progress: pd.DataFrame, indicator_id: str) -> pd.Series:
    rows = progress[(progress["run"] == "framework") & (progress["indicator_id"] == indicator_id)]
    return rows.iloc[0]


def test_poverty_2018_to_2024_is_classified_on_one_series(real_progress: pd.DataFrame) -> None:
    """41.9 (2018, the survey a year before the 2019 base) -> 29.6 (2024), target 20.95 by 2030:
    R = -((29.6/41.9)^(1/6) - 1) / |0.5^(1/12) - 1| = 1.003: substantial progress."""
    row = framework_row(real_progress, "poverty_multidimensional_pct")
    assert row["series"] == "lineamientos_2018"
    assert (row["base_period"], row["latest_period"]) == ("2018", "2024")
    assert (row["base_value"], row["latest_value"]) == (41.9, 29.6)
    assert row["target_value"] == pytest.approx(41.9 / 2)
    assert row["ratio"] == pytest.approx(
        ((29.6 / 41.9) ** (1 / 6) - 1) * -1 / abs(0.5 ** (1 / 12) - 1)
    )
    assert row["status"] == "substantial progress"


def test_sub_annual_headlines_get_verdicts(real_progress: pd.DataFrame) -> None:
    gdp = framework_row(real_progress, "gdp_real_sa_level")
    assert gdp["status"] != NOT_ASSESSED and gdp["annualised"].startswith("annual average")
    jobs = framework_row(real_progress, "imss_registered_jobs")
    assert jobs["status"] != NOT_ASSESSED and jobs["annualised"].startswith("December")
    # the platform-worker pilot from July 2025 is a declared break: December 2025 is not used
    assert jobs["latest_period"] == "2024" and "series break" in jobs["annualised"]


def test_deterioration_only_for_movement_the_wrong_way(real_progress: pd.DataFrame) -> None:
    assessed = real_progress[real_progress["status"] != NOT_ASSESSED]
    moved_well = assessed["direction"] * (assessed["latest_value"] - assessed["base_value"]) > 0
    assert not (moved_well & (assessed["status"] == "deterioration")).any()


def test_context_indicators_are_not_assessed(real_progress: pd.DataFrame) -> None:
    assert "gdp_real_growth" not in set(real_progress["indicator_id"])
    assert "asylum_applications" not in set(real_progress["indicator_id"])


def test_summaries_count_each_concept_once(real_progress: pd.DataFrame) -> None:
    """Outcome 1 maps the poverty cuts of one ENIGH measurement (one concept), the international
    lines (one concept) and the Gini index: 3 concepts, however many cuts."""
    by_outcome = summarise(real_progress, "outcomes")
    one = by_outcome[(by_outcome["run"] == "framework") & (by_outcome["group"] == "1")].iloc[0]
    rows = real_progress[
        (real_progress["run"] == "framework")
        & real_progress["outcomes"].str.split(";").map(lambda o: "1" in o)
    ]
    assert one["indicators"] == rows["indicator_id"].nunique() > one["concepts"] == 3
    counted = [c for c in by_outcome.columns if c.startswith(("target: ", "direction: "))]
    assert one[counted].sum() == one["assessed"] <= one["concepts"]
    assert -5 <= one["mean_score"] <= 5
