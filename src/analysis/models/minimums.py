"""Minimum series lengths per method (Hyndman & Athanasopoulos, FPP3, section 13.7), kept apart from
models.recovery so pages can show them without importing statsmodels."""

#: Minimum observed (non-missing) points per method. counterfactual_*: points before the shock, by
#: frequency (the fit uses only those); its: total, with its_before / its_after on each side of the
#: break; chow: total, with chow_side on each side; peak_trough_side: points before and from the shock.
MIN_POINTS: dict[str, int] = {
    "counterfactual_A": 8,
    "counterfactual_Q": 12,
    "counterfactual_M": 24,
    "its": 12,
    "its_before": 3,
    "its_after": 4,
    "chow": 10,
    "chow_side": 3,
    "cusum": 12,
    "forecast": 10,
    "peak_trough_side": 1,
}
