"""The README's generated tables match the pipeline's metadata; the commands it promises exist."""

from __future__ import annotations

import re

import pytest

from analysis.site.readme import exhibits_table, generated_sections, refresh_readme
from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_sections_are_current() -> None:
    assert refresh_readme(README, generated_sections(ROOT)) == README, "run `make readme`"


def test_exhibits_list_the_index_figure_and_table() -> None:
    table = exhibits_table(ROOT)
    assert "Figure `fig-overview`" in table and "Table `tbl-poverty`" in table
    assert "`notebooks/01_index.ipynb`" in table
    assert "`reports/_site/index.html#fig-overview`" in table


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    for target in set(re.findall(r"`make ([a-z-]+)", README)):
        assert target in defined, f"README mentions make {target}, which the Makefile lacks"


def test_refresh_needs_markers() -> None:
    with pytest.raises(ValueError, match="exhibits"):
        refresh_readme("no markers here", {"exhibits": "x"})
