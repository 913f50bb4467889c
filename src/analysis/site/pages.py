"""The website's pages, listed once: which notebook makes each page, what it reads, its title and
place in the navbar, and the page parameters of a notebook shared by several pages.

Everything else follows from this list: `build/pages.mk` (the Makefile's page rules,
`python -m analysis.site.pages make`), the checks that `reports/_quarto.yml` lists the same pages
and navbar (`analysis.site.render` refuses a mismatch; `python -m analysis.site.pages quarto` prints
the expected sections), and the page text the runner fills into a shared notebook before it runs.

Standard library only: make imports it with the system Python before `.venv` exists, and so does
`tools/doctor.py` (for the kernel name).

A page spec's `inputs` are what the page's notebook reads: an upper-case word is a Makefile
variable (e.g. `INDICATORS` becomes `$(INDICATORS)`), anything else a path. A page of a shared
notebook (the area notebook) gets its `params` through papermill beside the analysis parameters of
params.yaml, its `text` (title, subtitle, intro, ...) filled into `{{ name }}` placeholders of the
notebook's raw and markdown cells and `#|` cell options, and keeps a cell tagged `section:<name>`
only if `<name>` is one of its `sections`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

#: Jupyter kernel that runs the pages; the Makefile registers it inside `.venv`.
KERNEL_NAME = "mexico-cf"

#: The notebook shared by the six area pages.
AREA_NOTEBOOK = "05_area"

#: Sentence every area page's introduction ends with (the rest is said once, on the progress and
#: methods pages, not repeated on six pages).
_AREA_INTRO_END = (
    "How each verdict is reached is explained on the [progress](progress.ipynb) and "
    "[methods](methods.ipynb) pages."
)

_AREA_INPUTS = ("INDICATORS", "MODEL_TABLES", "PACKAGE", "FRAMEWORK_FILES")
# Sections of an area page (cells tagged section:<name> in the area notebook): `area-series`, the
# chart of its assessed series, or `no-area-series`, the note that it has none to chart (a
# `fig-cap` cell may only run where it draws: Quarto numbers figures by those cells);
# `state-poverty` (equality), `territory` (prosperity: outcome 3's maps and rankings of the 32
# states) and `asylum-releases` (migration) are extra sections; `outcome-2` and `outcome-3` hold
# the second and third outcome of a priority (each outcome has its own numbered table, and a
# cell with `tbl-cap` may only run where it shows one), given by `_area` from `outcomes`.


@dataclass(frozen=True)
class Page:
    """One page of the site: `notebooks/<stem>.ipynb` executed into `reports/<name>.ipynb`."""

    stem: str
    name: str
    title: str
    nav: str
    inputs: tuple[str, ...]
    subtitle: str = ""
    menu: str = ""  # navbar menu holding the link; "" = a top-level link
    params: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    sections: tuple[str, ...] = ()
    after_other_pages: bool = False  # runs last (it reports the other pages' run times)

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.stem}.ipynb"

    @property
    def executed(self) -> str:
        return f"reports/{self.name}.ipynb"

    @property
    def href(self) -> str:
        return f"{self.name}.ipynb"

    def fill(self) -> dict[str, str]:
        """Values of the `{{ name }}` placeholders of this page's notebook (year ranges in the
        title kept on one line)."""
        return {"title": nobreak_ranges(self.title), "subtitle": self.subtitle, **self.text}


def _area(
    name: str,
    area: str,
    title: str,
    subtitle: str,
    intro: str,
    sections=("area-series",),
    outcomes: int = 1,
) -> Page:
    """An area page: its title is the area's one name (report/text/en.yaml `areas.name`, which
    tests/test_area_names.py compares), also its navbar entry; `outcomes` is how many outcome
    groups it reports (a cross-cutting area: one)."""
    slots = tuple(f"outcome-{k}" for k in range(2, outcomes + 1))
    return Page(
        stem=AREA_NOTEBOOK,
        name=name,
        title=title,
        subtitle=subtitle,
        nav=title,
        menu="Areas",
        inputs=_AREA_INPUTS,
        params={"area": area, "area_name": title},
        text={"intro": f"{intro} {_AREA_INTRO_END}"},
        sections=tuple(sections) + slots,
    )


def nobreak_ranges(title: str) -> str:
    """A title whose year ranges never break at their hyphen ('2020-2025' with U+2011, the
    non-breaking hyphen), so a phone does not end a line with '2020-'."""
    out, i = [], 0
    while i < len(title):
        chunk = title[i : i + 9]
        if len(chunk) == 9 and chunk[:4].isdigit() and chunk[4] == "-" and chunk[5:].isdigit():
            out.append(chunk[:4] + "\u2011" + chunk[5:])
            i += 9
        else:
            out.append(title[i])
            i += 1
    return "".join(out)


#: Every page, in the order of the site (render list and navbar).
PAGES: tuple[Page, ...] = (
    Page(
        "01_index",
        "index",
        "Mexico and the UN Cooperation Framework 2020-2025",
        "Summary",
        ("INDICATORS", "PACKAGE", "MODEL_TABLES", "FRAMEWORK_FILES"),
        subtitle="How Mexico's development indicators moved against the Framework's outcomes",
    ),
    _area(
        "equality",
        "P1",
        "Equality and inclusion",
        "Strategic priority 1: poverty, inequality and social rights (Outcomes 1-2)",
        "Poverty in all its dimensions, income poverty, inequality and access to health, "
        "education, social security and food.",
        sections=("area-series", "state-poverty"),
        outcomes=2,
    ),
    _area(
        "prosperity",
        "P2",
        "Prosperity and innovation",
        "Strategic priority 2: territorial development, productive growth and decent work "
        "(Outcomes 3-5)",
        "Output, income per person, jobs, unemployment and informality, and for outcome 3 the "
        "territorial view: poverty, remittances and output across the 32 states. The "
        "[recovery page](recovery.ipynb) measures the COVID-19 shock and the return to pre-crisis "
        "levels in detail.",
        sections=("area-series", "territory"),
        outcomes=3,
    ),
    _area(
        "green",
        "P3",
        "Green economy and climate change",
        "Strategic priority 3: mitigation, clean energy and resilience (Outcomes 6-7)",
        "Greenhouse gas emissions, the energy mix of electricity generation and forest cover.",
        outcomes=2,
    ),
    _area(
        "peace",
        "P4",
        "Peace, justice and rule of law",
        "Strategic priority 4: violence, accountability and human rights (Outcomes 8-10)",
        "Homicides, femicides and the prevalence of violence for outcome 8; governance and "
        "corruption (World Bank governance indicators, bribery under SDG 16.5.1) for outcome 9; "
        "the rule of law, detention without sentence and crime reporting (World Justice Project, "
        "SDG 16.3) for outcome 10.",
        outcomes=3,
    ),
    _area(
        "gender",
        "X1",
        "Gender equality",
        "Cross-cutting area 1 of the Framework",
        "Women's work, paid and unpaid, their place in Congress, and violence against women, "
        "gathered from every outcome.",
    ),
    _area(
        "migration",
        "X2",
        "Migrants and refugees",
        "Cross-cutting area 2 of the Framework",
        "Asylum applications received by Mexico's refugee commission (COMAR), kept apart by "
        "release because COMAR revises its totals; UNHCR's applications, decisions and "
        "recognition rate; and the cost of sending remittances home (SDG 10.c).",
        sections=("area-series", "asylum-releases"),
    ),
    Page(
        "03_progress",
        "progress",
        "Progress since the Framework's baseline",
        "Progress",
        ("INDICATORS", "MODEL_TABLES"),
        subtitle="Which indicators moved in the desired direction and how fast, over 2019-2025 "
        "and 2015-2030; against a quantified target where one exists",
    ),
    Page(
        "04_recovery",
        "recovery",
        "Recovery from the COVID-19 shock",
        "Recovery",
        ("INDICATORS", "MODEL_TABLES"),
        subtitle="Output, jobs, unemployment and informality against their pre-2020 trends",
    ),
    Page(
        "11_published",
        "published",
        "What the UN reports said, and what the data says",
        "UN reports vs data",
        ("INDICATORS", "PACKAGE", "data/raw/framework/published_figures.csv"),
        subtitle="Every figure about Mexico in the 2020 and 2022 results reports beside the "
        "snapshot's value",
    ),
    Page(
        "12_methods",
        "methods",
        "Methods",
        "Methods",
        ("MODEL_TABLES",),
        subtitle="Each method, its formula, its published source, its limits, and the series it "
        "could not be applied to",
        menu="About",
    ),
    Page(
        "02_data",
        "data",
        "Data and provenance",
        "Data and provenance",
        ("INDICATORS", "VALIDATION", "PACKAGE", "RAW_FILES"),
        subtitle="Every series in the snapshot: where it comes from, what it covers, what is missing",
        menu="About",
    ),
    Page(
        "14_changes",
        "changes",
        "What changed between releases",
        "What changed between releases",
        ("INDICATORS", "PACKAGE"),
        subtitle="New periods and revised values across the releases of the same series",
        menu="About",
    ),
    Page(
        "13_reproducibility",
        "reproducibility",
        "Reproducibility",
        "Reproducibility",
        ("VALIDATION", "requirements.lock", "build/params/_all.json"),
        subtitle="The commit, parameters, packages, data and timings behind this build",
        menu="About",
        after_other_pages=True,
    ),
)


def page_named(name: str, pages: tuple[Page, ...] = PAGES) -> Page:
    """The page called `name`; an unknown name is a KeyError listing the known ones."""
    for page in pages:
        if page.name == name:
            return page
    raise KeyError(f"no page '{name}' (pages: {', '.join(p.name for p in pages)})")


def notebooks(pages: tuple[Page, ...] = PAGES) -> list[str]:
    """Every source notebook, once each, in page order."""
    return list(dict.fromkeys(p.notebook for p in pages))


def render_list(pages: tuple[Page, ...] = PAGES) -> list[str]:
    """`project.render` of `reports/_quarto.yml`: every page, in site order."""
    return [p.href for p in pages]


def navbar(pages: tuple[Page, ...] = PAGES) -> list[dict]:
    """`website.navbar.left` of `reports/_quarto.yml`: links in page order, a menu where pages
    name one (its position is that of its first page)."""
    left: list[dict] = []
    menus: dict[str, list[dict]] = {}
    for page in pages:
        link = {"href": page.href, "text": page.nav}
        if not page.menu:
            left.append(link)
        elif page.menu in menus:
            menus[page.menu].append(link)
        else:
            menus[page.menu] = [link]
            left.append({"text": page.menu, "menu": menus[page.menu]})
    return left


def _make_word(word: str) -> str:
    return f"$({word})" if word.isupper() else word


def make_fragment(pages: tuple[Page, ...] = PAGES) -> str:
    """The Makefile's page rules: NOTEBOOKS, PAGES and one rule per page (see the module doc)."""
    lines = [
        "# Generated from src/analysis/site/pages.py by `python -m analysis.site.pages make`;",
        "# do not edit (make regenerates it when pages.py changes).",
        f"KERNEL := {KERNEL_NAME}",
        "NOTEBOOKS := " + " ".join(notebooks(pages)),
        "PAGES := " + " ".join(p.executed for p in pages),
    ]
    for page in pages:
        inputs = [_make_word(word) for word in page.inputs]
        if page.after_other_pages:
            inputs += [p.executed for p in pages if not p.after_other_pages]
        lines.append(f"$(eval $(call page_rule,{page.stem},{page.name},{' '.join(inputs)}))")
    return "\n".join(lines) + "\n"


def _yaml_quote(text: str) -> str:
    needs = any(ch in text for ch in ":#{}[]&*?|<>=!%@`'\"") or text != text.strip()
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if needs else text


def quarto_sections(pages: tuple[Page, ...] = PAGES) -> str:
    """The `render:` list and `navbar:` of `_quarto.yml` as YAML text, to paste in after an edit."""
    lines = ["  render:"] + [f"    - {href}" for href in render_list(pages)]
    lines += ["  navbar:", "    left:"]
    for item in navbar(pages):
        if "menu" in item:
            lines.append(f"      - text: {_yaml_quote(item['text'])}")
            lines.append("        menu:")
            for link in item["menu"]:
                lines.append(f"          - href: {link['href']}")
                lines.append(f"            text: {_yaml_quote(link['text'])}")
        else:
            lines.append(f"      - href: {item['href']}")
            lines.append(f"        text: {_yaml_quote(item['text'])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outputs = {
        "make": make_fragment,
        "quarto": quarto_sections,
        "kernel": lambda: KERNEL_NAME + "\n",
    }
    if len(args) != 1 or args[0] not in outputs:
        print(f"usage: python -m analysis.site.pages {{{'|'.join(outputs)}}}", file=sys.stderr)
        return 2
    sys.stdout.write(outputs[args[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
