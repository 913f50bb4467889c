"""The display-name layer: reader-facing labels and sentence templates, read from one text file
per language (report/text/<lang>.yaml), so wording changes and translations never touch code."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

LANGUAGE = "en"


@functools.cache
def catalog(language: str = LANGUAGE) -> dict[str, Any]:
    """The whole text file of `language`, parsed once per process."""
    text = (
        resources.files("analysis.report").joinpath("text", f"{language}.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def label(section: str, key: str) -> str:
    """The label of `key` in `section`; a KeyError naming both when the text file lacks it, so a
    missing label fails the build instead of showing an internal id."""
    entries = catalog()[section]
    if key not in entries:
        raise KeyError(
            f"no label for {key!r} in section {section!r} of report/text/{LANGUAGE}.yaml"
        )
    return str(entries[key])


def series_label(series: str) -> str:
    """'inegi_base2018_sa' -> 'INEGI, base 2018, seasonally adjusted'."""
    return label("series", series)
