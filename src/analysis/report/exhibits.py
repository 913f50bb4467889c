"""Exhibits as both renderers show them without HTML: tables as Markdown pipe tables, figures as
Markdown images with a computed caption and alt text, and the data behind each one as a CSV beside
the page, linked under it.

A notebook runs for one page; the runner names the page (`ANALYSIS_PAGE`) and the folder the
page's files go to while it runs (`ANALYSIS_EXHIBITS_DIR`), and keeps that folder only when the
page succeeded. Links are relative to the page: `exhibits/<page>/<label>.csv`.
"""

from __future__ import annotations

import hashlib
import io
import numbers
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.atomic import atomic_path
from analysis.report.labels import label

PAGE_ENV = "ANALYSIS_PAGE"
DIR_ENV = "ANALYSIS_EXHIBITS_DIR"
FIGURE_DPI = 200  # saved at twice the displayed density: drawn 7.6 in wide, shown at 760 px
_LABEL = re.compile(r"^(fig|tbl)-[a-z0-9][a-z0-9-]*$")
_NUMERIC = re.compile(
    r"^[<>]?[+\-\u2212]?(US\$)?\d[\d,]*(\.\d+)?(\s?(%|pp)|\s[a-z]+(\s[a-z]+){0,2})?"
    r"(\s\([^()]{1,16}\))?$"
)
_READY_LINK = re.compile(r"^\[([^\]]+)\]\(([^)\s]+)\)$")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|$#])")


def page_name() -> str:
    """The page this notebook run renders (set by the runner; 'scratch' in an interactive run)."""
    return os.environ.get(PAGE_ENV, "scratch")


def exhibit_dir() -> Path:
    """Where this run writes its exhibit files."""
    return Path(os.environ.get(DIR_ENV, str(paths.EXHIBITS_DIR / page_name())))


def href(label_id: str, suffix: str) -> str:
    """The link to an exhibit file from its page: 'exhibits/index/tbl-scorecard.csv'."""
    return f"{paths.EXHIBITS_DIR.name}/{page_name()}/{label_id}{suffix}"


def escape_markdown(text: str) -> str:
    """Text shown literally by pandoc (Quarto) and mistune (nbconvert): Markdown and HTML
    punctuation backslash-escaped, so '$' never opens maths and '_' never emphasis."""
    return _SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _cell(value: object, decimals: int) -> str:
    """One cell as text: floats with `decimals` and thousands separators, whole numbers as
    integers, gaps empty; strings as they are."""
    if _missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        value = float(value)
        return f"{value:,.{decimals}f}"
    return str(value)


def _column_cells(column: pd.Series, decimals: int) -> list[str]:
    """A column's cells as text; a float column whose values are all whole shows integers."""
    values = column.tolist()
    present = [v for v in values if not _missing(v)]
    if present and all(isinstance(v, float) and v.is_integer() for v in present):
        return [_cell(None if _missing(v) else int(v), 0) for v in values]
    return [_cell(v, decimals) for v in values]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def is_numeric_text(cell: str) -> bool:
    """'1,234', '-3.2 pp', '+8.9%', 'US$16.0', '<0.001', '99.6 (2019)', '+0.5 years' read as
    numbers (right-aligned)."""
    return bool(_NUMERIC.match(cell.strip()))


def markdown_table(
    frame: pd.DataFrame,
    decimals: int | dict[str, int] = 1,
    links: tuple[str, ...] = (),
    index: bool = False,
) -> str:
    """A DataFrame as a pipe table: cells as `_cell` writes them (per-column decimals if a dict),
    numeric columns right-aligned, separator dashes in proportion to the column's text (pandoc
    sizes wrapped columns by them); columns in `links` hold URLs shown as links to their host, or
    ready links '[text](target)' shown with their text."""
    shown = frame.reset_index() if index else frame
    header = [escape_markdown(str(c)) for c in shown.columns]
    columns: list[list[str]] = []
    for name in shown.columns:
        places = decimals.get(name, 1) if isinstance(decimals, dict) else decimals
        cells = _column_cells(shown[name], places)
        if name in links:
            cells = [_link(url) for url in cells]
        else:
            cells = [escape_markdown(c) for c in cells]
        columns.append(cells)
    rule = []
    for name, cells, head in zip(shown.columns, columns, header, strict=True):
        filled = [c for c in cells if c]
        width = max([len(head), *(len(c) for c in filled)])
        dashes = "-" * max(3, min(width, 40))
        right = name not in links and filled and all(is_numeric_text(c) for c in filled)
        rule.append(dashes[:-1] + ":" if right else dashes)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    for row in zip(*columns, strict=True) if columns else []:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _link(cell: str) -> str:
    """A link column's cell: a URL shown as its host, or a ready link '[text](target)' shown with
    its own text (e.g. a row naming the page it leads to); empty stays empty."""
    if not cell:
        return ""
    ready = _READY_LINK.match(cell)
    if ready:
        return f"[{escape_markdown(ready[1])}]({ready[2]})"
    return f"[{escape_markdown(_host(cell))}]({cell})"


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


def _write_if_changed(path: Path, data: bytes) -> str:
    """Write `data` to `path` (atomically) unless it already holds it; return its sha256."""
    with atomic_path(path, suffix=path.suffix, if_changed=True) as tmp:
        tmp.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def write_data(frame: pd.DataFrame, label_id: str) -> tuple[str, str]:
    """Write the data behind an exhibit as CSV beside the page; return (link, sha256)."""
    if not _LABEL.match(label_id):
        raise ValueError(f"exhibit label {label_id!r} is not fig-... or tbl-... in lower case")
    text = frame.to_csv(index=False, lineterminator="\n")
    digest = _write_if_changed(exhibit_dir() / f"{label_id}.csv", text.encode("utf-8"))
    return href(label_id, ".csv"), digest


def data_link(link: str) -> str:
    """The Markdown link to an exhibit's CSV."""
    return f"[{label('exhibit', 'data_link')}]({link})"


def table_markdown(
    frame: pd.DataFrame,
    label_id: str,
    data: pd.DataFrame | None = None,
    decimals: int | dict[str, int] = 1,
    links: tuple[str, ...] = (),
    index: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The Markdown of a table exhibit (the table, then its data link) and the output metadata
    (the CSV's hash, so the executed page changes whenever its data does)."""
    shown = frame.reset_index() if index else frame  # the CSV keeps the index as a column
    link, digest = write_data(data if data is not None else shown, label_id)
    body = markdown_table(frame, decimals=decimals, links=links, index=index)
    return f"{body}\n\n{data_link(link)}\n", {"exhibit": {"label": label_id, "csv": digest}}


def show_table(
    frame: pd.DataFrame,
    label_id: str,
    data: pd.DataFrame | None = None,
    decimals: int | dict[str, int] = 1,
    links: tuple[str, ...] = (),
    index: bool = False,
) -> None:
    """Display a table exhibit as one Markdown output (its cell carries `label` and `tbl-cap`)."""
    from IPython.display import Markdown, display

    markdown, metadata = table_markdown(frame, label_id, data, decimals, links, index)
    display(Markdown(markdown), metadata=metadata)


def _attribute(text: str) -> str:
    """A value safe inside a pandoc attribute in double quotes."""
    return " ".join(text.replace("\\", "/").replace('"', "'").split())


def figure_markdown(
    fig: Any, label_id: str, caption: str, alt: str, data: pd.DataFrame
) -> tuple[str, dict[str, Any]]:
    """Save the figure (PNG) and its data (CSV) beside the page and return the Markdown image
    that both renderers number as a figure, with its caption, data link and alt text."""
    if not label_id.startswith("fig-"):
        raise ValueError(f"figure label {label_id!r} must start with 'fig-'")
    if not alt.strip() or not caption.strip():
        raise ValueError(f"figure {label_id} needs a caption and an alt text")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    png_digest = _write_if_changed(exhibit_dir() / f"{label_id}.png", buffer.getvalue())
    link, csv_digest = write_data(data, label_id)
    markdown = (
        f"![{escape_markdown(caption)} {data_link(link)}]({href(label_id, '.png')})"
        f'{{#{label_id} fig-alt="{_attribute(alt)}"}}\n'
    )
    return markdown, {"exhibit": {"label": label_id, "png": png_digest, "csv": csv_digest}}


def show_figure(fig: Any, label_id: str, caption: str, alt: str, data: pd.DataFrame) -> None:
    """Display a figure exhibit as one Markdown output and close the figure (its cell has no
    `fig-cap`: the caption is part of the Markdown)."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    markdown, metadata = figure_markdown(fig, label_id, caption, alt, data)
    plt.close(fig)
    display(Markdown(markdown), metadata=metadata)
