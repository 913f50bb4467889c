"""Command line for the pipeline steps make runs: `python -m analysis <step> ...`.

Each step prints one clear line on bad input and exits non-zero; outputs are written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import (
    DataError,
    NotebookFailed,
    PageError,
    ParameterError,
    StepFailed,
    describe_os_error,
)

# jsonschema imports rfc3987_syntax when it is installed (jupyterlab brings it), which compiles a
# grammar for about 2 s at every start; no pipeline step validates IRI formats, so it is skipped.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

DEFAULT_PACKAGE = str(paths.PACKAGE)
#: Pipeline steps whose wall time the reproducibility page reports (build/timings/<step>.json).
TIMED_STEPS = frozenset({"validate", "clean", "models", "run-notebook", "render"})


def _record_timing(args: argparse.Namespace, seconds: float) -> None:
    from analysis.core.atomic import write_text_atomic

    step = args.command
    if args.command == "run-notebook":
        step = f"notebook {Path(args.notebook).name}"
        if args.page and Path(args.notebook).stem.split("_", 1)[-1] != args.page:
            step += f" ({args.page})"  # a notebook shared by several pages
    name = "_".join(re.findall(r"[\w-]+", step.replace(".ipynb", "")))  # no spaces, no brackets
    record = {"step": step, "seconds": round(seconds, 2)}
    write_text_atomic(paths.TIMINGS_DIR / f"{name}.json", json.dumps(record) + "\n")


def _add_param_options(parser: argparse.ArgumentParser) -> None:
    """--params and --set, for every step that reads the analysis parameters."""
    parser.add_argument("--params", default=str(paths.PARAMS_FILE))
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")


def _params_from(args: argparse.Namespace):
    """params.yaml plus command-line overrides, checked against the schema."""
    from analysis.core.params import load_params, parse_overrides

    return load_params(args.params, parse_overrides(args.set))


def _unchanged(written: bool) -> str:
    """Suffix of a step's line when its output already held the same bytes (left untouched)."""
    return "" if written else " (unchanged)"


def _validate(args: argparse.Namespace) -> int:
    from analysis.clean.plausibility import check_package
    from analysis.core.atomic import write_text_if_changed
    from analysis.snapshot.validate import validate_snapshot

    report = validate_snapshot(args.package)
    if not report.valid:
        # One line: the most telling problem first (a bad cell before the checksum it also
        # breaks); when only checksums differ, the content rules say what the edit broke, if any.
        errors = sorted(report.errors, key=lambda e: "checksum mismatch" in e.reason)
        if all("checksum mismatch" in e.reason for e in errors):
            try:
                check_package(args.package)
            except DataError as content:
                errors = [content, *errors]
        more = f" (+{len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise StepFailed(f"{errors[0]}{more}")

    summary = report.as_dict()
    summary["n_values_checked_for_plausibility"] = check_package(args.package)
    descriptor = json.loads(Path(args.package).read_text(encoding="utf-8"))
    summary["n_cells_checked"] = sum(r.rows * r.fields for r in report.resources)
    summary["n_known_gaps"] = len(descriptor.get("x-known-gaps", []))
    summary["n_excluded_values"] = len(descriptor.get("x-excluded", []))
    changed = write_text_if_changed(
        args.summary, json.dumps(summary, indent=2, sort_keys=True) + "\n"
    )
    print(
        f"validated {summary['n_resources']} resources, {summary['n_rows']} rows: "
        f"schemas, sha256, provenance and plausibility OK -> {args.summary}{_unchanged(changed)}"
    )
    return 0


def _clean(args: argparse.Namespace) -> int:
    from analysis.clean.tidy import build_tidy, write_tidy

    tidy = build_tidy(args.package)
    changed = write_tidy(tidy, args.out)
    print(
        f"tidy table: {len(tidy)} rows, {tidy['indicator_id'].nunique()} indicators "
        f"-> {args.out}{_unchanged(changed)}"
    )
    return 0


def _params_stamps(args: argparse.Namespace) -> int:
    from analysis.core.atomic import write_text_if_changed
    from analysis.core.params import stamp_text
    from analysis.site.runner import resolve_values

    params = _params_from(args)  # checked before any notebook
    every = Path(args.out_dir) / "_all.json"  # the models step depends on every value
    changed = [every] if write_text_if_changed(every, stamp_text(params.model_dump())) else []
    for notebook in args.notebooks:
        stamp = Path(args.out_dir) / f"{Path(notebook).stem}.json"
        if write_text_if_changed(stamp, stamp_text(resolve_values(notebook, params))):
            changed.append(stamp)
    names = ", ".join(p.stem for p in changed) if changed else "none"
    print(f"parameter stamps: {len(changed)} changed ({names}) -> {args.out_dir}")
    return 0


def _check_params(args: argparse.Namespace) -> int:
    params = _params_from(args)
    print(f"{args.params}: {len(params.model_dump())} parameters OK")
    return 0


def _models(args: argparse.Namespace) -> int:
    from analysis.clean.tidy import read_tidy
    from analysis.core.params import check_coverage
    from analysis.models.step import model_tables, write_tables
    from analysis.snapshot.catalog import load_catalog, load_series_meta

    params = _params_from(args)
    tidy = read_tidy(args.indicators)
    check_coverage(params, [int(p) for p in tidy.loc[tidy["freq"] == "A", "period"].unique()])
    tables = model_tables(tidy, load_catalog(args.package), params, load_series_meta(args.package))
    written = write_tables(tables, args.out_dir)
    print(f"model tables: {sum(written.values())} of {len(written)} changed -> {args.out_dir}")
    return 0


def _run_notebook(args: argparse.Namespace) -> int:
    from analysis.site.runner import run_notebook

    start = time.perf_counter()
    from analysis.core.atomic import identity
    from analysis.core.params import parse_overrides
    from analysis.site.pages import page_named

    page = page_named(args.page) if args.page else None
    before = identity(args.output)
    run_notebook(
        args.notebook, args.output, args.params, args.kernel, parse_overrides(args.set), page=page
    )
    seconds = time.perf_counter() - start
    print(
        f"ran {args.notebook} -> {args.output} ({seconds:.1f} s)"
        f"{_unchanged(identity(args.output) != before)}"
    )
    return 0


def _render(args: argparse.Namespace) -> int:
    from analysis.site.render import check_site, read_site, render_site

    problem = check_site(read_site(Path(args.project)))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    renderer, pages = render_site(args.project, args.renderer)
    print(f"rendered {len(pages)} page(s) with {renderer} -> {pages[0] if pages else args.project}")
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from analysis.clean.plausibility import check_package
    from analysis.snapshot.validate import refresh_checksums

    check_package(args.package)  # content first: a checksum is never refreshed over a bad value
    changes = refresh_checksums(args.package)
    for line in changes:
        print(f"updated {line}")
    if not changes:
        print(f"{args.package}: checksums already match the raw files; nothing changed")
    return 0


def _readme(args: argparse.Namespace) -> int:
    from analysis.core.atomic import write_text_atomic
    from analysis.site.readme import generated_sections, refresh_readme

    path = Path(args.readme)
    text = path.read_text(encoding="utf-8")
    updated = refresh_readme(text, generated_sections(path.parent))
    if updated != text:
        write_text_atomic(path, updated)
        print(f"{path}: generated sections updated")
    else:
        print(f"{path}: generated sections already current")
    return 0


def _strip_notebooks(args: argparse.Namespace) -> int:
    from analysis.core.atomic import write_text_atomic
    from analysis.site.strip import strip_outputs

    for path in args.notebooks:
        text = Path(path).read_text(encoding="utf-8")
        stripped = strip_outputs(text)
        if stripped != text:
            write_text_atomic(path, stripped)
            print(f"stripped outputs from {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per pipeline step."""
    from analysis.site.pages import KERNEL_NAME, PAGES

    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate data/raw against datapackage.json")
    p.add_argument("--package", default=DEFAULT_PACKAGE)
    p.add_argument("--summary", default=str(paths.VALIDATION))
    p.set_defaults(func=_validate)

    p = sub.add_parser("clean", help="build the tidy indicator table")
    p.add_argument("--package", default=DEFAULT_PACKAGE)
    p.add_argument("--out", default=str(paths.INDICATORS))
    p.set_defaults(func=_clean)

    p = sub.add_parser(
        "params-stamps", help="write each notebook's parameter stamp if its values changed"
    )
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--out-dir", default=str(paths.PARAM_STAMPS_DIR))
    _add_param_options(p)
    p.set_defaults(func=_params_stamps)

    p = sub.add_parser("check-params", help="check params.yaml against the schema")
    _add_param_options(p)
    p.set_defaults(func=_check_params)

    p = sub.add_parser("models", help="compute the progress and recovery tables")
    p.add_argument("--package", default=DEFAULT_PACKAGE)
    p.add_argument("--indicators", default=str(paths.INDICATORS))
    p.add_argument("--params", default=str(paths.PARAMS_FILE))
    p.add_argument("--out-dir", default=str(paths.PROCESSED_DIR))
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    p.set_defaults(func=_models)

    p = sub.add_parser("run-notebook", help="execute a notebook with papermill")
    p.add_argument("notebook")
    p.add_argument("output")
    p.add_argument("--params", default=str(paths.PARAMS_FILE))
    p.add_argument("--kernel", default=KERNEL_NAME)
    p.add_argument(
        "--page",
        choices=[page.name for page in PAGES],
        help="the page of src/analysis/site/pages.py this run makes",
    )
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    p.set_defaults(func=_run_notebook)

    p = sub.add_parser("render", help="render the reports website")
    p.add_argument("--project", default=str(paths.REPORTS_DIR))
    p.add_argument("--renderer", choices=["auto", "quarto", "nbconvert"], default="auto")
    p.set_defaults(func=_render)

    p = sub.add_parser(
        "snapshot", help="recompute raw-file checksums in datapackage.json on purpose"
    )
    p.add_argument("--package", default=DEFAULT_PACKAGE)
    p.set_defaults(func=_snapshot)

    p = sub.add_parser("strip-notebooks", help="remove outputs and execution counts from notebooks")
    p.add_argument("notebooks", nargs="+")
    p.set_defaults(func=_strip_notebooks)

    from analysis.fetch.cli import add_fetch_parser

    add_fetch_parser(sub)

    p = sub.add_parser("readme", help="regenerate README's exhibits and data availability tables")
    p.add_argument("--readme", default="README.md")
    p.set_defaults(func=_readme)
    return parser


#: The steps of `make all`: when one fails, the existing site is marked out of date.
BUILD_STEPS = TIMED_STEPS | {"params-stamps"}


def _builds_this_checkout(args: argparse.Namespace) -> bool:
    """Whether a step works on this checkout's own snapshot and reports (as make runs it), not on
    another package or folder given on the command line (a test's copy, an analyst's trial)."""
    package = getattr(args, "package", DEFAULT_PACKAGE)
    if Path(package).resolve() != Path(DEFAULT_PACKAGE).resolve():
        return False
    if args.command == "run-notebook":
        return Path(args.output).resolve().parent == paths.REPORTS_DIR.resolve()
    if args.command == "render":
        return Path(args.project).resolve() == paths.REPORTS_DIR.resolve()
    return True


def _mark_failure(args: argparse.Namespace, reason: str) -> None:
    """Mark the existing site as out of date after a failed build step (see site.failure)."""
    if args.command not in BUILD_STEPS or not _builds_this_checkout(args):
        return
    from analysis.site.failure import mark_site_failed

    page = Path(args.output).stem if args.command == "run-notebook" else None
    project = Path(getattr(args, "project", paths.REPORTS_DIR))
    # the error line already printed is what matters: a read-only site stays as it is
    with contextlib.suppress(OSError):
        mark_site_failed(project / "_site", args.command, reason, page)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one step; known failures become one `error:` line and exit code 1, and a
    failed build step marks the existing site as out of date."""
    args = build_parser().parse_args(argv)
    start = time.perf_counter()
    try:
        code = int(args.func(args))
        if code == 0 and args.command in TIMED_STEPS:
            _record_timing(args, time.perf_counter() - start)
        return code
    except (DataError, ParameterError, NotebookFailed, PageError, StepFailed) as exc:
        reason, code = str(exc), 1
    except OSError as exc:
        reason, code = describe_os_error(exc), 1
    except UnicodeDecodeError as exc:
        reason, code = f"a file is not UTF-8 text ({exc.reason}); re-save it as UTF-8", 1
    except KeyboardInterrupt:
        # an interruption leaves the last successful build's site whole and consistent: no mark
        print("error: interrupted; no partial output was kept", file=sys.stderr)
        return 130
    print(f"error: {reason}", file=sys.stderr)
    _mark_failure(args, reason)
    return code


if __name__ == "__main__":
    sys.exit(main())
