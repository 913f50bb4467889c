"""Analysis parameters: a typed schema checked before any kernel starts.

`params.yaml` holds the defaults; a notebook declares what it uses in its papermill `parameters`
cell and receives only those keys. An unknown key or a wrong type is an error naming the key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis.core.errors import ParameterError


class Params(BaseModel):
    """Every analysis parameter, with its type and allowed range."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    shock_year: int = Field(2020, ge=2000, le=2035, description="Year of the COVID-19 shock")
    poverty_series: Literal["lineamientos_2018", "coneval_2008_2018"] = Field(
        "lineamientos_2018", description="CONEVAL methodology series for the poverty headline"
    )
    framework_base_year: int = Field(2019, ge=2000, le=2035, description="Framework baseline year")
    framework_end_year: int = Field(2025, ge=2000, le=2050, description="End of the Framework")
    sdg_base_year: int = Field(2015, ge=2000, le=2035, description="SDG baseline year")
    sdg_target_year: int = Field(2030, ge=2000, le=2050, description="SDG target year")
    latest_year: int | None = Field(
        None, ge=2000, le=2050, description="Last year used; null = latest available"
    )
    confidence_level: float = Field(
        0.95, gt=0.5, lt=1.0, description="Level of prediction intervals"
    )
    trend_window_years: int = Field(
        10, ge=5, le=40, description="Years before the shock the pre-shock trend is fitted on"
    )

    @model_validator(mode="after")
    def _years_in_order(self) -> Params:
        for base, end in [
            ("framework_base_year", "framework_end_year"),
            ("sdg_base_year", "sdg_target_year"),
        ]:
            if getattr(self, base) >= getattr(self, end):
                raise ValueError(
                    f"{base} ({getattr(self, base)}) must be before {end} ({getattr(self, end)})"
                )
        if self.latest_year is not None:
            for base in ("framework_base_year", "sdg_base_year"):
                if self.latest_year <= getattr(self, base):
                    raise ValueError(
                        f"latest_year ({self.latest_year}) must be after {base} "
                        f"({getattr(self, base)}): a run needs data after its base year"
                    )
        return self


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(sorted(Params.model_fields))
        return f"unknown parameter '{key}' (allowed: {allowed})"
    if not error["loc"]:  # a rule across parameters (e.g. base year before end year)
        return str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    return f"parameter '{key}' = {value!r}: {error['msg']}"


#: Short names accepted on the command line besides each parameter's own name (make VAR=value).
ALIASES = {"base_year": "framework_base_year", "target_year": "framework_end_year"}


def parse_overrides(items: list[str] | None) -> dict[str, Any]:
    """`KEY=VALUE` strings (from `make all KEY=value`) as typed overrides: keys are case-insensitive
    parameter names or aliases, values are read as YAML (2018 -> int, null -> None, text -> str)."""
    overrides: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"command-line parameter '{item}' is not KEY=VALUE")
        name = key.strip().lower()
        name = ALIASES.get(name, name)
        if name not in Params.model_fields:
            allowed = ", ".join(sorted(k.upper() for k in [*Params.model_fields, *ALIASES]))
            raise ParameterError(f"unknown command-line parameter '{key}' (allowed: {allowed})")
        try:
            overrides[name] = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            raise ParameterError(
                f"command-line parameter {key}: '{raw}' is not a valid value"
            ) from None
    return overrides


def load_params(path: str | Path, overrides: dict[str, Any] | None = None) -> Params:
    """Read params.yaml, apply overrides, and check everything against `Params`."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"{path}: parameter file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ParameterError(
            f"{path}:{where} malformed YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter: value")
    values = raw | (overrides or {})
    try:
        return Params.model_validate(values)
    except ValidationError as exc:
        where = f"{path} with command-line values {overrides}" if overrides else str(path)
        raise ParameterError(f"{where}: {_describe(exc.errors()[0])}") from None


def check_coverage(params: Params, years: list[int]) -> None:
    """Years that the data do not cover are errors naming the key, the value and the range allowed
    (`years`: the annual periods of the tidy table)."""
    first, last = min(years), max(years)
    checks = {
        "shock_year": (first + 1, last),
        "framework_base_year": (first, last - 1),
        "sdg_base_year": (first, last - 1),
    }
    if params.latest_year is not None:
        checks["latest_year"] = (first + 1, last)
    for key, (low, high) in checks.items():
        value = getattr(params, key)
        if not low <= value <= high:
            raise ParameterError(
                f"parameter '{key}' = {value}: the data cover {first}-{last}, so it must be between "
                f"{low} and {high}"
            )


def notebook_params(params: Params, declared: list[str], notebook: str) -> dict[str, Any]:
    """The values a notebook declares in its parameters cell; a declared name without a schema entry is an error."""
    unknown = [name for name in declared if name not in Params.model_fields]
    if unknown:
        raise ParameterError(
            f"{notebook}: parameters cell declares {', '.join(unknown)}, not in params.yaml's schema"
        )
    values = params.model_dump()
    return {name: values[name] for name in declared}


def stamp_text(values: dict[str, Any]) -> str:
    """Canonical JSON of a notebook's parameter values: it changes only when a value changes."""
    return json.dumps(values, sort_keys=True, indent=2) + "\n"
