"""HTML tables for the report pages: plain, deterministic markup both renderers show the same way."""

from __future__ import annotations

import html

import pandas as pd


def _cell(value: object, decimals: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    return html.escape(str(value))


def html_table(
    frame: pd.DataFrame, decimals: int = 1, index: bool = False, links: tuple[str, ...] = ()
) -> str:
    """A DataFrame as a plain HTML table: fixed decimals, empty cells for gaps, no styling ids;
    columns named in `links` hold URLs and become links."""
    shown = frame.reset_index() if index else frame
    formatted = pd.DataFrame(
        {column: [_cell(v, decimals) for v in shown[column]] for column in shown.columns}
    )
    for column in links:
        formatted[column] = [
            f'<a href="{url}">{url.split("//", 1)[-1].split("/", 1)[0]}</a>' if url else ""
            for url in formatted[column]
        ]
    return formatted.to_html(index=False, escape=False, border=0, classes="data-table")
