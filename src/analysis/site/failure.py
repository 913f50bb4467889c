"""A failed build marks the site it could not replace, so nobody reads old numbers as current.

Every page of the existing site gets a visible banner (what failed, when, and that the numbers
may be out of date); the page whose notebook failed says so itself. A marker file in the site
makes the next build render again, and a successful render writes a clean site, which removes
every banner at once.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

from analysis.core.atomic import write_text_atomic

#: Marker the Makefile's render step depends on while it exists.
MARKER = ".build-failed.json"
_BANNER = re.compile(r'<div class="build-failed".*?</div>\n?', re.S)
_BODY = re.compile(r"<body[^>]*>", re.I)
STYLE = (
    "border:3px solid #D55E00;background:#fff4ec;color:#1d2731;padding:0.8rem 1rem;"
    "margin:0;font:1rem/1.4 system-ui,sans-serif"
)


def banner(step: str, reason: str, when: str, this_page: bool) -> str:
    """The banner's HTML: what failed, when, and what that means for the numbers shown."""
    head = (
        "This page could not be rebuilt"
        if this_page
        else "This report is out of date: the last build failed"
    )
    return (
        f'<div class="build-failed" role="alert" style="{STYLE}"><strong>{head}</strong> '
        f"(step {html.escape(step)}, {html.escape(when)}): {html.escape(reason)}. The numbers "
        "on these pages come from the last successful build and may not be current; fix the "
        "problem and run <code>make all</code>.</div>\n"
    )


def mark_site_failed(
    site: Path, step: str, reason: str, page: str | None = None, now: dt.datetime | None = None
) -> int:
    """Put the banner on every page of `site` (replacing an older one) and write the marker;
    return the number of pages marked. A site that does not exist yet is left alone."""
    if not site.is_dir():
        return 0
    when = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    marked = 0
    for path in sorted(site.glob("*.html")):
        text = _BANNER.sub("", path.read_text(encoding="utf-8"))
        match = _BODY.search(text)
        if match is None:
            continue
        this_page = page is not None and path.stem == page
        text = (
            text[: match.end()] + "\n" + banner(step, reason, when, this_page) + text[match.end() :]
        )
        write_text_atomic(path, text)
        marked += 1
    record = {"step": step, "reason": reason, "page": page, "when": when}
    write_text_atomic(site / MARKER, json.dumps(record, indent=2) + "\n")
    return marked
