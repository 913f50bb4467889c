"""The `fetch` sub-command: `python -m analysis fetch [--dry-run] [--only NAME]`.

Wired into `analysis.cli.build_parser` with `add_fetch_parser(sub)`. Errors are DataErrors
(FetchError included), which `analysis.cli.main` prints as one `error:` line with exit code 1.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from analysis.core import paths

DEFAULT_PACKAGE = str(paths.PACKAGE)


def run_fetch(args: argparse.Namespace) -> int:
    """List (--dry-run) or fetch the resources with an x-fetch block; print one line per resource."""
    from analysis.fetch.http import FetchSettings
    from analysis.fetch.inegi import TOKEN_ENV
    from analysis.fetch.releases import fetch_package, plan_fetch, select_plans

    plans = select_plans(plan_fetch(args.package), args.only)
    if not plans:
        print(f"{args.package}: no resource has an x-fetch block; nothing to fetch")
        return 0
    if args.dry_run:
        for plan in plans:
            note = ""
            if plan.client == "inegi" and not os.environ.get(TOKEN_ENV, "").strip():
                note = f" (needs {TOKEN_ENV}, not set)"
            print(f"would fetch {plan.describe()}{note}")
        return 0
    defaults = FetchSettings()
    settings = FetchSettings(
        wdi_url=args.wdi_api or defaults.wdi_url,
        inegi_url=args.inegi_api or defaults.inegi_url,
        read_timeout=args.timeout,
    )
    added = fetch_package(args.package, only=args.only, settings=settings)
    for resource in added:
        provenance = resource["x-provenance"]
        print(
            f"fetched {provenance['refreshes']} -> {resource['path']} "
            f"(resource {resource['name']}, vintage {provenance['vintage']})"
        )
    print(f"{args.package}: {len(added)} new vintage(s) registered and validated")
    return 0


def add_fetch_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `fetch` sub-command to an argparse sub-parser collection; returns its parser."""
    p = subparsers.add_parser(
        "fetch",
        help="download new vintages of the resources with an x-fetch block (needs the network)",
        description=(
            "Download each resource with an x-fetch block from its publisher's API and register "
            "it as a new dated vintage beside the current file; nothing changes if any fails. "
            "INEGI needs the INEGI_API_TOKEN environment variable."
        ),
    )
    p.add_argument("--package", default=DEFAULT_PACKAGE)
    p.add_argument("--dry-run", action="store_true", help="list what would be fetched and stop")
    p.add_argument("--only", metavar="NAME", help="fetch only this resource")
    p.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="read timeout per request"
    )
    p.add_argument(
        "--wdi-api", metavar="URL", help="World Bank API v2 base URL (for mirrors, tests)"
    )
    p.add_argument("--inegi-api", metavar="URL", help="INEGI API base URL (for mirrors, tests)")
    p.set_defaults(func=run_fetch)
    return p
