"""Applying the recovery methods to a tidy table (models.apply), on hand-made series.

`output` is quarterly, 2010Q1-2023Q4: 100, 101, ... rising one a quarter to 139 in 2019Q4, each
quarter 0.25 below (even quarters from the start) or above (odd ones) that line, then 2020Q1 135,
2020Q2 120 (the trough), 2020Q3 130, 2020Q4 138, and from 2021Q1 140, 141, ... again one a quarter
with the same wiggle (139.75, 141.25, ...). With the shock in 2020: the reference (best value in
the five years before) is 139.25 in 2019Q4; the worst is 120 in 2020Q2, depth 120 - 139.25 =
-19.25, which for a level (output in pesos) is stated in percent, 100 * (120/139.25 - 1) =
-13.82%, and for an index in its points; the first quarter back at 139.25 or more and staying
there two quarters is 2021Q1 (139.75), 5 quarters after the peak.

`short` is annual, 2017-2021 (5 points, 2 from 2020 on): long enough for peak and trough only.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.models.apply import (
    RecoverySeries,
    analyse,
    horizon,
    method_coverage,
    recovery_tables,
    shock_start,
)
from analysis.snapshot.catalog import Catalog, Indicator

QUARTERS = [f"{year}Q{q}" for year in range(2010, 2024) for q in range(1, 5)]
WIGGLE = (-0.25, 0.25)
OUTPUT = [100.0 + i + WIGGLE[i % 2] for i in range(40)] + [135.0, 120.0, 130.0, 138.0]
OUTPUT += [140.0 + j + WIGGLE[j % 2] for j in range(len(QUARTERS) - len(OUTPUT))]
SHORT = {"2017": 5.0, "2018": 4.8, "2019": 4.5, "2020": 6.0, "2021": 5.5}


def rows(indicator: str, series: str, freq: str, values: dict[str, float]) -> list[dict]:
    return [
        {
            "indicator_id": indicator, "geo": "MEX", "period": period, "freq": freq,
            "value": value, "unit": "u", "series": series, "source_id": "src", "vintage": "v",
        }
        for period, value in values.items()
    ]  # fmt: skip


@pytest.fixture
def tidy() -> pd.DataFrame:
    return pd.DataFrame(
        rows("output", "q", "Q", dict(zip(QUARTERS, OUTPUT, strict=True)))
        + rows("short", "a", "A", SHORT)
    )


@pytest.fixture
def catalog() -> Catalog:
    return {
        "output": Indicator("output", "Output", "MXN", "level", direction=1, headline_series="q"),
        "short": Indicator(
            "short", "Jobless rate", "%", "share", direction=-1, headline_series="a"
        ),
        "ctx": Indicator("ctx", "Context", "n", "count", direction=0, headline_series="x"),
        "absent": Indicator("absent", "No data", "n", "count", direction=1, headline_series="x"),
    }


def test_shock_start_and_horizon_by_frequency() -> None:
    assert [shock_start(f, 2020) for f in "AQM"] == ["2020", "2020Q1", "2020-03"]
    assert [horizon(f, 2030) for f in "AQM"] == ["2030", "2030Q4", "2030-12"]


def test_a_long_series_gets_every_method(tidy: pd.DataFrame, catalog: Catalog) -> None:
    row, cf, fc = analyse(tidy, catalog, RecoverySeries("output", "q", 1), 2020, 0.95, 2025)
    assert (row["name"], row["freq"], row["shock_start"]) == ("Output", "Q", "2020Q1")
    assert (row["first_period"], row["last_period"]) == ("2010Q1", "2023Q4")
    assert (row["n_points"], row["n_after_shock"]) == (56, 16)
    assert (row["reference_period"], row["reference_value"]) == ("2019Q4", 139.25)
    assert (row["worst_period"], row["worst_value"]) == ("2020Q2", 120.0)
    assert (row["change_unit"], row["depth"]) == ("percent", pytest.approx(-19.25))
    assert row["depth_pct"] == pytest.approx(100 * (120 / 139.25 - 1))
    assert (row["recovery_period"], row["periods_to_recover"]) == ("2021Q1", 5)
    assert row["recovery_held"] >= 2
    assert row["recovery_status"] == "recovered" and row["too_short_for"] == ""
    assert row["its_level_change"] < 0 and row["chow_f"] is not None
    assert row["cusum_crossed"] is not None and row["gap_pct_latest"] is not None
    assert row["cumulative_loss_pct"] is not None
    # The counterfactual path covers the series from the shock on; the forecast runs to 2025Q4.
    assert set(
        cf[["indicator_id", "series", "freq"]].drop_duplicates().itertuples(index=False)
    ) == {("output", "q", "Q")}
    assert cf["period"].iloc[0] <= "2020Q1" and fc["period"].iloc[-1] == "2025Q4"
    assert (fc["lower"] <= fc["mean"]).all() and (fc["mean"] <= fc["upper"]).all()


def test_an_index_states_its_changes_in_points(tidy: pd.DataFrame, catalog: Catalog) -> None:
    """The same values as an index: depth -19.25 points, no percentages (gap in points only)."""
    index = {**catalog, "output": replace(catalog["output"], unit="index", kind="index")}
    row, _, _ = analyse(tidy, index, RecoverySeries("output", "q", 1), 2020, 0.95, 2025)
    assert (row["change_unit"], row["depth"]) == ("points", pytest.approx(-19.25))
    assert row["depth_pct"] is None and row["gap_pct_latest"] is None
    assert row["gap_latest"] is not None and row["cumulative_loss_pct"] is None


def test_a_short_series_says_which_methods_it_is_too_short_for(
    tidy: pd.DataFrame, catalog: Catalog
) -> None:
    """5 annual points, 3 before 2020: peak and trough work (lower is better: the reference is the
    pre-2020 low 4.5 in 2019, the worst 6.0 in 2020, not yet back at 4.5); the counterfactual needs
    8 points before the shock, so no path and no gap."""
    row, cf, fc = analyse(tidy, catalog, RecoverySeries("short", "a", -1), 2020, 0.95, 2025)
    assert (row["n_points"], row["n_after_shock"]) == (5, 2)
    assert (row["reference_period"], row["worst_period"]) == ("2019", "2020")
    assert row["recovery_status"] == "not yet recovered" and row["recovery_period"] is None
    assert (
        "counterfactual needs at least 8 annual observations before the shock"
        in row["too_short_for"]
    )
    assert "peak" not in row["too_short_for"]
    assert cf.empty and fc.empty
    assert row["gap_pct_latest"] is None and row["its_level_change"] is None


def test_recovery_tables_need_the_framework_series(tidy: pd.DataFrame, catalog: Catalog) -> None:
    """The table covers the fixed RECOVERY_SERIES; a tidy table without them is an error naming
    the first missing one, not a silently shorter table."""
    with pytest.raises(KeyError, match="gdp_real_sa_level"):
        recovery_tables(tidy, catalog, 2020, 0.95, 2025)


def test_method_coverage_lists_assessed_indicators_with_data(
    tidy: pd.DataFrame, catalog: Catalog
) -> None:
    """Assessed (direction != 0) and with data: output and short; ctx is context, absent has no
    rows. short (3 before, 2 after) supports peak and trough but not the counterfactual."""
    coverage = method_coverage(tidy, catalog, 2020).set_index("indicator_id")
    assert list(coverage.index) == ["output", "short"]
    assert coverage.loc["short", ["freq", "n_points", "n_after_shock"]].tolist() == ["A", 5, 2]
    assert bool(coverage.loc["short", "supports_peak_trough"])
    assert not bool(coverage.loc["short", "supports_counterfactual"])
    supports = [c for c in coverage.columns if c.startswith("supports_")]
    assert coverage.loc["output", supports].all()
