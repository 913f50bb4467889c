"""The Makefile's command-line parameter names are exactly the schema's fields and aliases."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.core.params import ALIASES, Params

ROOT = Path(__file__).resolve().parents[1]


def make_list(name: str, makefile: str) -> list[str]:
    """The words of `NAME := ...` in a Makefile, continuation lines included."""
    joined = makefile.replace("\\\n", " ")
    match = re.search(rf"^{name}\s*:=(.*)$", joined, re.M)
    assert match, f"{name} not defined in the Makefile"
    return match.group(1).split()


def test_make_list_reads_continued_lines() -> None:
    assert make_list("X", "Y := a\nX := a b \\\n\tc\nZ := d\n") == ["a", "b", "c"]


def test_param_vars_are_the_schema_fields_and_aliases() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    expected = sorted(name.upper() for name in [*Params.model_fields, *ALIASES])
    assert sorted(make_list("PARAM_VARS", makefile)) == expected
