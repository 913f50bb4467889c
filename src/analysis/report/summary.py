"""The summary page on its own: a headline panel (each key number with its year, its change since
the Framework baseline and its verdict), one finding per area linking to its page, the scorecard's
links, and the dates a reader needs (data as of, built on). Words in report/text/<lang>.yaml,
section `summary`."""

from __future__ import annotations

import datetime
from typing import Any

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.core.periods import decimal_year, infer_freq
from analysis.models.progress import representatives
from analysis.models.progress import value_decimals as written_decimals
from analysis.models.status import NOT_ASSESSED, STATUS_ORDER
from analysis.report.buildinfo import data_vintage, display_date
from analysis.report.display import (
    SCORECARD_STATUSES,
    change_decimals_of,
    format_delta,
    format_value,
    row_unit,
)
from analysis.report.labels import catalog as text_catalog
from analysis.report.labels import period_label, text_n
from analysis.report.precision import change_decimals, marked
from analysis.report.sentences import literal
from analysis.report.words import change_amount, enumerate_words, lower_first, status_label

#: The headline panel: (area id, indicator id) in page order, a few key numbers per area, each a
#: row of the progress table (Framework run). The first assessed one of an area leads its finding.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("P1", "poverty_multidimensional_pct"),
    ("P1", "poverty_extreme_pct"),
    ("P1", "gini_coneval"),
    ("P2", "gdp_real_sa_level"),
    ("P2", "unemployment_rate"),
    ("P2", "informality_rate"),
    ("P3", "ghg_emissions_excl_lucf"),
    ("P3", "renewables_share_electricity"),
    ("P4", "homicide_rate"),
    ("P4", "wjp_rule_of_law_index"),
    ("X1", "women_share_lower_house"),
    ("X1", "informality_rate_women"),
    ("X2", "asylum_recognition_rate"),
    ("X2", "remittance_cost_pct"),
)

#: Factors that bring a level to the unit of its value template (MXN million -> MXN trillion).
SCALES: dict[str, float] = {"gdp_real_sa_level": 1e-6}


def _words() -> dict[str, Any]:
    """The `summary` section of the text file."""
    return text_catalog()["summary"]


def _framework(progress: pd.DataFrame) -> pd.DataFrame:
    return progress[progress["run"] == "framework"].set_index("indicator_id", drop=False)


def headline_value(row: pd.Series) -> str:
    """A headline number with its unit, as its template in the text file writes it ('29.6%'),
    at the precision of its unit (display.format_value), after the template's scale."""
    indicator_id = row["indicator_id"]
    template = _words()["headlines"][indicator_id]["value"]
    scaled = row["latest_value"] * SCALES.get(indicator_id, 1.0)
    return template.format(value=format_value(scaled, row["change_unit"], row_unit(row)))


def headline_change(row: pd.Series) -> str:
    """The change since the base year in its unit ('-12.3 pp since 2018', '+5.9% since 2019',
    '-0.027 since 2018'), or 'none since 2018' when it rounds to zero."""
    words = _words()
    if _rounds_to_zero(row):
        return words["no_change_cell"].format(year=row["base_period"])
    change = format_delta(row["change"], row["change_unit"], unit=row_unit(row), spelled=True)
    return words["change_cell"].format(change=change, year=row["base_period"])


def _rounds_to_zero(row: pd.Series) -> bool:
    """Whether a change shows as zero at the precision its unit is shown with, after the extra
    decimals a small change gets (precision.change_decimals): only a change of (almost) none."""
    decimals = change_decimals_of(row["change_unit"], row_unit(row))
    return round(abs(row["change"]), change_decimals(row["change"], decimals)) == 0


def _verdict(row: pd.Series) -> str:
    """The verdict as shown: the status, 'target missed' where due, and the precision mark where
    it rests on a change smaller than the published precision (precision.marked)."""
    return marked(status_label(row["status"], bool(row["target_missed"])), row)


def _assessed(row: pd.Series) -> bool:
    return row["status"] != NOT_ASSESSED and pd.notna(row["change"])


def headline_panel(
    progress: pd.DataFrame,
    area_pages: dict[str, str],
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
) -> pd.DataFrame:
    """The headline panel as display-ready strings: area (a link to its page), indicator, latest
    value and year, change since the Framework base, verdict. A headline missing from the
    progress table is an error; one without enough data says so instead of a number."""
    words = _words()
    framework = _framework(progress)
    rows = []
    for area, indicator_id in headlines:
        if indicator_id not in framework.index:
            raise KeyError(f"headline {indicator_id!r} is not in the progress table")
        row = framework.loc[indicator_id]
        area_cell = f"[{words['area_short'][area]}]({area_pages[area]})"
        label = words["headlines"][indicator_id]["label"]
        if not _assessed(row):
            latest, change, verdict = "", words["not_assessed_cell"], row["status"]
        else:
            latest = words["latest_cell"].format(
                value=headline_value(row), year=row["latest_period"]
            )
            change = headline_change(row)
            verdict = _verdict(row)
        rows.append(
            {
                words["column_area"]: area_cell,
                words["column_indicator"]: label,
                words["column_latest"]: latest,
                words["column_change"]: change,
                words["column_verdict"]: verdict,
            }
        )
    return pd.DataFrame(rows)


def headline_data(
    progress: pd.DataFrame, headlines: tuple[tuple[str, str], ...] = HEADLINES
) -> pd.DataFrame:
    """The numbers behind the headline panel (its CSV): the progress rows in panel order."""
    framework = _framework(progress)
    columns = [
        "indicator_id",
        "name",
        "series",
        "base_period",
        "base_value",
        "latest_period",
        "latest_value",
        "change",
        "unit",
        "change_unit",
        "status",
        "target_missed",
    ]
    frame = framework.loc[[i for _, i in headlines], columns].reset_index(drop=True)
    return frame.assign(area=[a for a, _ in headlines])[["area", *columns]]


def base_note(tidy: pd.DataFrame, row: pd.Series, base_year: int) -> str:
    """What a reader needs to know about a headline's base, computed from its series: that it
    falls back to another year when the series has no usable value for `base_year`, and that
    the base value was published as a whole number where the series' values up to it are whole
    numbers while the latest has decimals (INEGI's homicide rates up to 2021). Empty otherwise."""
    if not _assessed(row):
        return ""
    words = _words()
    parts = []
    fallback = str(row["base_period"]) != str(base_year)
    if fallback:
        parts.append(words["base_fallback"].format(base_year=base_year, base=row["base_period"]))
    values = series_values(tidy, row["indicator_id"], row["series"]).dropna()
    if infer_freq(values.index) == "A":
        upto = values[values.index <= str(row["base_period"])]
        whole = [written_decimals(float(v)) == 0 for v in values]
        if all(written_decimals(float(v)) == 0 for v in upto) and not all(whole):
            last_whole = (
                values.index[whole.index(False) - 1] if False in whole else values.index[-1]
            )
            parts.append(
                words["base_whole"].format(
                    last_whole=last_whole,
                    base=row["base_period"],
                    value=f"{row['base_value']:,.0f}",
                    decimals=words["decimals"][written_decimals(float(row["latest_value"]))],
                    latest=row["latest_period"],
                )
            )
    if not parts:
        return ""
    if not fallback:
        return parts[0][:1].upper() + parts[0][1:] + "."
    return words["base_note"].format(parts="; ".join(parts))


def base_notes(
    tidy: pd.DataFrame,
    progress: pd.DataFrame,
    base_year: int,
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
) -> dict[str, str]:
    """`base_note` of every headline that has one, by indicator id."""
    framework = _framework(progress)
    notes = {i: base_note(tidy, framework.loc[i], base_year) for _, i in headlines}
    return {i: note for i, note in notes.items() if note}


def panel_notes(notes: dict[str, str]) -> str:
    """The base notes as Markdown lines under the headline panel, each naming its rows: rows
    with the same note share one line, so a reason is said once."""
    words = _words()
    rows: dict[str, list[str]] = {}
    for indicator_id, note in notes.items():
        rows.setdefault(note, []).append(words["headlines"][indicator_id]["label"])
    return "\n".join(
        words["panel_note"].format(label=enumerate_words([f"*{x}*" for x in labels]), note=note)
        for note, labels in rows.items()
    )


def lead_sentence(row: pd.Series, note: str = "") -> str:
    """One headline number in a sentence: where it stands, how far it moved since the base year
    (in its change unit) and the verdict, then the base's `note` when it has one."""
    words = _words()
    indicator_id = row["indicator_id"]
    spec = words["headlines"][indicator_id]
    fields = {
        "noun": spec["noun"],
        "verb": words["verb_plural" if spec.get("plural") else "verb"],
        "latest": headline_value(row),
        "latest_year": row["latest_period"],
        "base_year": row["base_period"],
        "status": _verdict(row),
        "note": f"{note} " if note else "",
    }
    if _rounds_to_zero(row):
        return words["lead_unchanged"].format(**fields)
    return words["lead"].format(
        **fields,
        amount=change_amount(row["change"], row["change"], row["change_unit"], row_unit(row)),
        comparison=words["higher" if row["change"] > 0 else "lower"],
    )


def verdict_counts(heads: pd.DataFrame) -> str:
    """Assessed concepts by status, best first: '5 made substantial progress, 1 made limited
    progress and 2 moved against the desired direction', then how many of them passed a target
    date (a subset of the statuses, never counted twice)."""
    words = _words()
    parts = [
        text_n(f"summary.count_{status.replace(' ', '_')}", int((heads["status"] == status).sum()))
        for status in STATUS_ORDER
        if f"count_{status.replace(' ', '_')}_one" in words and (heads["status"] == status).any()
    ]
    missed = int(heads["target_missed"].astype(bool).sum())
    counted = enumerate_words(parts)
    return f"{counted}; {text_n('summary.target_missed', missed)}" if missed else counted


def _members(progress: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Framework-run rows mapped to any of `groups` (outcome ids, or a cross-cutting area)."""
    framework = progress[progress["run"] == "framework"]

    def in_groups(cell: object) -> bool:
        return bool(set(str(cell if pd.notna(cell) else "").split(";")) & set(groups))

    mask = framework["outcomes"].apply(in_groups) | framework["cross_cutting"].apply(in_groups)
    return framework[mask & (framework["direction"] != 0)]


def verdict_sentence(progress: pd.DataFrame, groups: list[str]) -> str:
    """The area's verdicts in the Framework run, each concept once; says so plainly when no
    concept has a verdict, or no indicator was sourced."""
    words = _words()
    heads = representatives(_members(progress, groups))
    if heads.empty:
        return words["none_sourced"]
    assessed = heads[heads["status"] != NOT_ASSESSED]
    noun = words["concept_one" if len(heads) == 1 else "concept_other"]
    if assessed.empty:
        return words["none_assessed"].format(concepts=len(heads), concept_noun=noun)
    template = "verdicts"
    if len(assessed) == len(heads):
        template = {1: "verdicts_only", 2: "verdicts_both"}.get(len(heads), "verdicts_all")
    return words[template].format(
        assessed=len(assessed),
        concepts=len(heads),
        concept_noun=noun,
        counts=verdict_counts(assessed),
    ) + shared_clause(progress, groups)


def _group_name(group: str) -> str:
    """'3' -> 'Outcome 3'; a cross-cutting area by its short name ('Gender')."""
    return (
        _words()["outcome_name"].format(n=group)
        if group.isdigit()
        else _words()["area_short"][group]
    )


def shared_concepts(progress: pd.DataFrame, groups: list[str]) -> dict[str, list[str]]:
    """Concepts of the Framework run that belong to more than one of `groups`: concept -> the
    groups it is in (each of the scorecard's rows counts it; an area's total counts it once)."""
    members = _members(progress, groups)
    found: dict[str, list[str]] = {}
    for _, row in members.iterrows():
        cells = f"{row['outcomes'] if pd.notna(row['outcomes']) else ''};{row['cross_cutting'] if pd.notna(row['cross_cutting']) else ''}"
        for group in cells.split(";"):
            if group in groups and group not in found.setdefault(row["concept"], []):
                found[row["concept"]].append(group)
    return {c: sorted(g, key=groups.index) for c, g in found.items() if len(g) > 1}


def shared_clause(progress: pd.DataFrame, groups: list[str]) -> str:
    """' 1 concept belongs to Outcomes 1 and 2: it counts once in this total and in each of
    their scorecard rows.', or nothing when the area's groups share no concept."""
    shared = shared_concepts(progress, groups)
    if not shared:
        return ""
    in_groups = sorted({g for gs in shared.values() for g in gs}, key=groups.index)
    names = enumerate_words([_group_name(g) for g in in_groups])
    return " " + text_n("summary.shared", len(shared), groups=names)


def area_finding(
    area: str,
    name: str,
    href: str,
    groups: list[str],
    progress: pd.DataFrame,
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
    notes: dict[str, str] | None = None,
) -> str:
    """One Markdown bullet for an area: its name linking to its page, the first assessed
    headline number in a sentence (with its base note, `base_notes`), then the area's verdicts."""
    framework = _framework(progress)
    lead = ""
    for head_area, indicator_id in headlines:
        if head_area == area and indicator_id in framework.index:
            row = framework.loc[indicator_id]
            if _assessed(row):
                lead = lead_sentence(row, (notes or {}).get(indicator_id, ""))
                break
    return _words()["finding"].format(
        area=name, href=href, lead=lead, verdicts=verdict_sentence(progress, groups)
    )


def area_key_findings(
    progress: pd.DataFrame,
    names: dict[str, str],
    areas: dict[str, list[str]],
    area_pages: dict[str, str],
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
    notes: dict[str, str] | None = None,
) -> str:
    """A finding for every area (priorities, then cross-cutting areas), one bullet each."""
    return "\n".join(
        area_finding(area, names[area], area_pages[area], groups, progress, headlines, notes)
        for area, groups in areas.items()
    )


def group_pages(outcomes: pd.DataFrame, area_pages: dict[str, str]) -> dict[str, str]:
    """Every scorecard group's page: an outcome ('1'..'10') goes to its priority's page, a
    cross-cutting area ('X1') to its own."""
    pages = {
        str(row.outcome_id): area_pages[row.area_id]
        for row in outcomes.itertuples()
        if row.area_id in area_pages
    }
    return pages | {a: href for a, href in area_pages.items() if a.startswith("X")}


def link_rows(
    frame: pd.DataFrame, column: str, labels: dict[str, str], pages: dict[str, str]
) -> pd.DataFrame:
    """`frame` with each cell of `column` that is a group's label turned into a Markdown link to
    the group's page (shown by `markdown_table` when `column` is among its `links`)."""
    by_label = {labels[g]: href for g, href in pages.items() if g in labels}
    linked = [f"[{cell}]({by_label[cell]})" if cell in by_label else cell for cell in frame[column]]
    return frame.assign(**{column: linked})


def area_pages_sentence(titles: dict[str, str], area_pages: dict[str, str]) -> str:
    """The prose link to every area page: 'The six area pages ...: [Equality ...](equality.ipynb),
    ... and [Migrants and refugees](migration.ipynb).'"""
    links = [f"[{titles[a]}]({href})" for a, href in area_pages.items()]
    return _words()["area_pages"].format(links=enumerate_words(links))


def newest_period(periods: list[str]) -> str:
    """The newest of periods of any frequency ('2025', '2026Q2', '2024-12'), by where each ends
    on a time axis: a quarter or a month is newer than the year it falls in."""

    def end(period: str) -> float:
        freq = infer_freq([period])
        step = {"A": 1.0, "Q": 0.25, "M": 1 / 12}[freq]
        return decimal_year(period, freq) + step

    return max((str(p) for p in periods), key=end)


def dates_line(
    package: dict[str, Any],
    panel_periods: list[str],
    built: datetime.datetime,
    quoted_periods: list[str] | None = None,
) -> str:
    """The page's date line: data as of the snapshot's newest source release (the footer's date,
    buildinfo.data_vintage), the newest year in the At a glance table (annual values, as the
    verdicts use them), the newest quarter or month quoted further down when it is newer, and
    the build date."""
    words = _words()
    months = text_catalog()["site"]["months"]
    vintage = data_vintage(package)
    if vintage is None:
        raise ValueError("the data package names no source release date")
    latest = newest_period(panel_periods)
    quoted = newest_period([latest, *(quoted_periods or [])])
    return words["dates"].format(
        vintage=display_date(vintage, months),
        latest=period_label(latest),
        quoted_clause=(
            words["dates_quoted"].format(quoted=period_label(quoted)) if quoted != latest else ""
        ),
        built=display_date((built.year, built.month, built.day), months),
    )


def _group_rows(progress: pd.DataFrame) -> pd.DataFrame:
    """Framework-run rows with a desired direction, one per (indicator, group) it is mapped to,
    in column `group` (outcomes and cross-cutting areas alike)."""
    framework = progress[(progress["run"] == "framework") & (progress["direction"] != 0)]
    cells = framework["outcomes"].fillna("") + ";" + framework["cross_cutting"].fillna("")
    exploded = framework.assign(group=cells.str.split(";")).explode("group")
    return exploded[exploded["group"] != ""]


def scorecard_total(progress: pd.DataFrame, columns: list[str]) -> dict[str, str]:
    """The scorecard's total row: indicators and concepts of every group, each concept once
    (models.progress.representatives over all groups), so a concept shared by outcomes, which
    appears in each of their rows, counts once here. `columns` are the scorecard's headers."""
    rows = _group_rows(progress).drop_duplicates("indicator_id").drop(columns="group")
    heads = representatives(rows)
    assessed = heads[heads["status"] != NOT_ASSESSED]
    first, indicators, concepts, *statuses, score = columns
    total = {
        first: _words()["total_row"],
        indicators: str(rows["indicator_id"].nunique()),
        concepts: f"{len(assessed)} of {len(heads)}",
    }
    for column in statuses:
        total[column] = str(int(assessed["status"].isin(SCORECARD_STATUSES[column]).sum()))
    mean = assessed["score"].mean()
    total[score] = "" if pd.isna(mean) else f"{mean:.2f}"
    return total


def with_total(
    scorecard: pd.DataFrame, progress: pd.DataFrame, href: str | None = None
) -> pd.DataFrame:
    """The scorecard display table with its total row last (`scorecard_total`); its label a
    Markdown link to `href` (the page listing every verdict) when the table's rows are links."""
    total = scorecard_total(progress, list(scorecard.columns))
    first = scorecard.columns[0]
    if href:
        total[first] = f"[{total[first]}]({href})"
    return pd.concat([scorecard, pd.DataFrame([total])], ignore_index=True)


def counted_by(progress: pd.DataFrame) -> pd.DataFrame:
    """For every group: the indicator that carries each concept's verdict there (its headline
    when mapped to the group, else the first of its cuts), columns group, concept, indicator_id."""
    exploded = _group_rows(progress)
    picked = [
        representatives(rows).assign(group=group)
        for group, rows in exploded.groupby("group", sort=False)
    ]
    return pd.concat(picked)[["group", "concept", "indicator_id"]] if picked else exploded


def concept_table(progress: pd.DataFrame) -> pd.DataFrame:
    """Every concept measured by more than one indicator, as display-ready text: the concept (its
    headline indicator), each member with its verdict, and the outcomes and areas whose count it
    carries; 'not counted' where another member's verdict is counted. A concept's verdict is
    that of the indicator that carries it, so a reader can see what the counts rest on."""
    words = _words()
    rows = _group_rows(progress).drop_duplicates("indicator_id")
    carriers = counted_by(progress)
    sizes = rows.groupby("concept")["indicator_id"].nunique()
    names = dict(zip(rows["indicator_id"], rows["name"], strict=True))
    out = []
    for concept in sorted(sizes[sizes > 1].index, key=lambda c: names.get(c, c).lower()):
        members = rows[rows["concept"] == concept]
        members = members.assign(_head=members["indicator_id"] != concept).sort_values(
            ["_head", "name"]
        )
        for _, member in members.iterrows():
            groups = carriers.loc[carriers["indicator_id"] == member["indicator_id"], "group"]
            ordered = sorted(set(groups), key=lambda g: (not g.isdigit(), len(g), g))
            out.append(
                {
                    words["column_concept"]: names.get(concept, member["name"]),
                    words["column_member"]: member["name"],
                    words["column_verdict"]: _verdict(member),
                    words["column_counted"]: enumerate_words([_group_name(g) for g in ordered])
                    or words["not_counted"],
                }
            )
    return pd.DataFrame(out)


def concept_disagreements(progress: pd.DataFrame, intro: str = "disagreements_intro") -> str:
    """Markdown: a sentence on how a concept's verdict is carried, then one bullet per group where
    the indicator counted for a concept and another member of the same concept in that group
    point different ways (one improving, the other deteriorating), so a deteriorating indicator
    is never hidden under a good count; empty when there is none. `intro` is the key of the
    lead sentence (`disagreements_intro_here` on the page that lists the concepts)."""
    from analysis.models.status import BAD, GOOD

    words = _words()
    exploded = _group_rows(progress)
    carriers = counted_by(progress)
    lines = []
    order = carriers["group"].map(
        lambda g: (not str(g).isdigit(), int(g) if str(g).isdigit() else 0, str(g))
    )
    carriers = carriers.iloc[sorted(range(len(carriers)), key=lambda i: order.iloc[i])]
    for carrier in carriers.itertuples():
        in_group = exploded[
            (exploded["group"] == carrier.group) & (exploded["concept"] == carrier.concept)
        ].set_index("indicator_id")
        head = in_group.loc[carrier.indicator_id]
        sides = [(GOOD, BAD), (BAD, GOOD)]
        for mine, theirs in sides:
            if head["status"] not in mine:
                continue
            others = in_group[in_group["status"].isin(theirs)]
            if others.empty:
                continue
            lines.append(
                words["disagreement"].format(
                    group=_group_name(str(carrier.group)),
                    head=literal(lower_first(head["name"])),
                    status=_verdict(head),
                    others=enumerate_words(
                        [
                            f"{literal(lower_first(r['name']))} ({_verdict(r)})"
                            for _, r in others.iterrows()
                        ]
                    ),
                )
            )
    if not lines:
        return ""
    return words[intro] + "\n\n" + "\n".join(lines)


def sources_scope() -> str:
    """The sentence that says what the index's source list covers and where the rest are."""
    return _words()["sources_scope"]
