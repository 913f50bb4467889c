"""The display-name layer: reader-facing labels and sentence templates, read from one text file
per language (report/text/<lang>.yaml), so wording changes and translations never touch code."""

from __future__ import annotations

import functools
import math
import string
from importlib import resources
from typing import Any

import yaml

LANGUAGE = "en"


class MissingPart(ValueError):
    """A sentence was asked for without one of its parts (None, NaN or empty): raised instead of
    printing a sentence with a hole in it."""


@functools.cache
def catalog(language: str = LANGUAGE) -> dict[str, Any]:
    """The whole text file of `language`, parsed once per process."""
    text = (
        resources.files("analysis.report").joinpath("text", f"{language}.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def _where() -> str:
    return f"report/text/{LANGUAGE}.yaml"


def label(section: str, key: str) -> str:
    """The label of `key` in `section`; a KeyError naming both when the text file lacks it, so a
    missing label fails the build instead of showing an internal id."""
    entries = catalog()[section]
    if key not in entries:
        raise KeyError(f"no label for {key!r} in section {section!r} of {_where()}")
    return str(entries[key])


def series_label(series: str) -> str:
    """'inegi_base2018_sa' -> 'INEGI, base 2018, seasonally adjusted'."""
    return label("series", series)


def status_name(status: str) -> str:
    """A model status ('substantial progress') as readers see it (section `statuses`)."""
    return label("statuses", status)


def template(key: str) -> str:
    """The template at `key`, 'section.name' (a KeyError naming the key when it is missing)."""
    section, _, name = key.partition(".")
    return label(section, name)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in {"", "nan", "None"}


def text(key: str, **fields: object) -> str:
    """Template `key` ('section.name') filled with `fields` (str.format). A MissingPart names the
    key and the field when a field the template uses is absent, None, NaN or empty; fields whose
    name ends in '_clause' are optional clauses and may be empty."""
    pattern = template(key)
    used = {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(pattern)
        if name
    }
    for name in sorted(used):
        if name not in fields:
            raise MissingPart(f"{key} in {_where()} needs {name!r}, which was not given")
        if not name.endswith("_clause") and _missing(fields[name]):
            raise MissingPart(f"{key} in {_where()}: {name!r} is missing ({fields[name]!r})")
    return pattern.format(**fields)


def plural(n: float, singular: str, plural_form: str) -> str:
    """The singular word for exactly 1 (or -1), the plural otherwise: plural(3, 'state', 'states')."""
    return singular if abs(n) == 1 else plural_form


def noun(n: float, key: str, section: str = "nouns") -> str:
    """The word for `n` of `key`, a [singular, plural] pair in `section` (default `nouns`)."""
    forms = catalog()[section].get(key)
    if forms is None:
        raise KeyError(f"no {key!r} in section {section!r} of {_where()}")
    return plural(n, str(forms[0]), str(forms[1]))


def count(n: int, key: str) -> str:
    """'1 concept', '3 concepts': a count with its noun in the right number."""
    return f"{n:,} {noun(n, key)}"


def text_n(key: str, n: float, **fields: object) -> str:
    """Template `key`_one when `n` is 1 (or -1), `key`_other otherwise, filled like `text`: for
    sentences whose verb or wording changes with a count ('1 state has', '3 states have')."""
    return text(f"{key}_{'one' if abs(n) == 1 else 'other'}", n=n, **fields)
