"""Bad content stops `validate` and `snapshot` with one line naming file, row, field, value and rule,
and leaves the raw files as they were (each case on a throw-away copy of data/raw)."""

from __future__ import annotations

import datetime as dt
import errno
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.plausibility import KIND_RULES, check_package, check_steps, period_start
from analysis.cli import main
from analysis.core.atomic import write_text_atomic
from analysis.core.errors import describe_os_error
from analysis.models.step import check_finite
from analysis.snapshot.catalog import Indicator
from helpers import replace_in_file, tree_digest

POVERTY = "coneval/pobreza_nacional_2008_2018.csv"
STATES = "inegi/catalogo_entidades.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err.strip()
    return code, err


def validate(raw_copy: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    summary = raw_copy.parent.parent / "validation.json"
    return run(capsys, "validate", "--package", str(raw_copy), "--summary", str(summary))


def snapshot(raw_copy: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return run(capsys, "snapshot", "--package", str(raw_copy))


def refresh(raw_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Make the checksums agree with the edit, as `make snapshot` would for a careful edit."""
    from analysis.snapshot.validate import refresh_checksums

    refresh_checksums(raw_copy)


def test_an_absurd_share_is_refused_by_snapshot_and_validate(raw_copy: Path, capsys) -> None:
    """41.9% poverty edited to 4.19e300: outside 0-100 for a share; `make snapshot` refuses to
    record its checksum, and validation names the cell even after a forced refresh."""
    replace_in_file(raw_copy.parent / POVERTY, ",41.9\n", ",4.19e300\n")
    before = tree_digest(raw_copy.parent)
    code, line = snapshot(raw_copy, capsys)
    assert code == 1 and "\n" not in line
    assert f"{POVERTY}: row 2, field '2018'" in line and "4.19e+300" in line
    assert "plausible range 0 to 100" in line and "rule: range for a share" in line
    assert tree_digest(raw_copy.parent) == before  # nothing rewritten
    refresh(raw_copy, capsys)
    code, line = validate(raw_copy, capsys)
    assert code == 1 and "plausible range" in line and "4.19e+300" in line


def test_an_incredible_jump_in_a_count_is_refused(raw_copy: Path, capsys) -> None:
    """52.4 million people in poverty (2018) after 53.4 in 2016, edited to 5.24e12: a factor of
    10^11 in one survey round, far beyond the count rule's factor of 5 per period."""
    replace_in_file(raw_copy.parent / POVERTY, "53.4,52.4", "53.4,5240000000000")
    code, line = snapshot(raw_copy, capsys)
    assert code == 1 and "not a credible change" in line and "5.24e+12" in line
    assert f"{POVERTY}: row 4, field '2018'" in line


def test_a_period_decades_ahead_is_refused(raw_copy: Path, capsys) -> None:
    """A year column renamed 2018 -> 2081 (schema refreshed too): the period starts after the
    copy's access date and after the build date."""
    replace_in_file(raw_copy.parent / POVERTY, "2016,2018\n", "2016,2081\n")
    descriptor = raw_copy.read_text(encoding="utf-8")
    raw_copy.write_text(descriptor.replace('"name": "2018"', '"name": "2081"'), encoding="utf-8")
    code, line = snapshot(raw_copy, capsys)
    assert code == 1 and "2081" in line and "rule: no period later than its source" in line


def test_a_header_only_table_is_refused(raw_copy: Path, capsys) -> None:
    path = raw_copy.parent / STATES
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    refresh(raw_copy, capsys)
    code, line = validate(raw_copy, capsys)
    assert code == 1 and f"{STATES}: row 2:" in line and "no data rows" in line


def test_a_semicolon_delimited_file_is_named_as_such(raw_copy: Path, capsys) -> None:
    path = raw_copy.parent / POVERTY
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    code, line = validate(raw_copy, capsys)
    assert code == 1 and "';'-delimited but datapackage.json declares ','" in line
    assert not (raw_copy.parent.parent / "validation.json").exists()


def test_a_latin1_file_is_named_by_validate_and_snapshot(raw_copy: Path, capsys) -> None:
    path = raw_copy.parent / STATES
    path.write_bytes(path.read_bytes().replace("México".encode(), "México".encode("latin-1")))
    code, line = validate(raw_copy, capsys)
    assert code == 1 and f"{STATES}: row" in line and "not utf-8 text" in line
    code, line = snapshot(raw_copy, capsys)
    assert code == 1 and STATES in line and "UTF-8" in line and "Traceback" not in line


def test_a_deleted_column_is_named_as_the_missing_one(raw_copy: Path, capsys) -> None:
    """Drop the first year column (2008) of every row: the message names 2008, not the last header."""
    path = raw_copy.parent / POVERTY
    lines = path.read_text(encoding="utf-8").splitlines()
    cut = [",".join(cells[:2] + cells[3:]) for cells in (line.split(",") for line in lines)]
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    code, line = validate(raw_copy, capsys)
    assert code == 1 and "column '2008' of the schema is missing" in line and "field '2008'" in line


def test_a_checksum_mismatch_says_how_to_fix_it(raw_copy: Path, capsys) -> None:
    replace_in_file(raw_copy.parent / POVERTY, ",41.9\n", ",41.8\n")
    code, line = validate(raw_copy, capsys)
    assert code == 1 and "checksum mismatch" in line and "make snapshot" in line


def test_a_resource_without_path_is_named(raw_copy: Path, capsys) -> None:
    descriptor = json.loads(raw_copy.read_text(encoding="utf-8"))
    del descriptor["resources"][3]["path"]
    raw_copy.write_text(json.dumps(descriptor), encoding="utf-8")
    code, line = validate(raw_copy, capsys)
    assert code == 1 and f"resource '{descriptor['resources'][3]['name']}' lacks 'path'" in line


def test_latest_year_before_a_base_year_is_refused(capsys) -> None:
    code, line = run(capsys, "check-params", "--set", "LATEST_YEAR=2019")
    assert code == 1 and "latest_year (2019) must be after framework_base_year (2019)" in line


def test_the_snapshot_passes_every_rule() -> None:
    assert check_package(Path("data/raw/datapackage.json")) > 1000


def test_steps_are_compounded_per_period_elapsed() -> None:
    """Asylum applications 1,295 (2013) -> 129,585 (2021): a factor of 100 over 8 years is a factor
    of 1.78 a year, within the count rule (5); the same jump in one year is not."""
    catalog = {"a": Indicator(id="a", name="A", unit="persons", kind="count")}
    frame = pd.DataFrame(
        {
            "indicator_id": "a",
            "series": "s",
            "geo": "MEX",
            "freq": "A",
            "period": ["2013", "2021"],
            "value": [1295.0, 129585.0],
            "source_file": "f.csv",
            "source_row": [2, 3],
            "source_field": "v",
        }
    )
    check_steps(frame, catalog)
    with pytest.raises(Exception, match="not a credible change"):
        check_steps(frame.assign(period=["2020", "2021"]), catalog)
    assert KIND_RULES["count"].relative and not KIND_RULES["share"].relative


def test_period_start() -> None:
    assert period_start("2020Q2") == dt.date(2020, 4, 1)
    assert period_start("2020-05") == dt.date(2020, 5, 1)
    assert period_start("2031") == dt.date(2031, 1, 1)


def test_a_non_finite_model_output_is_refused_before_writing(tmp_path: Path) -> None:
    table = pd.DataFrame({"indicator_id": ["a", "b"], "ratio": [0.5, float("inf")]})
    with pytest.raises(Exception, match="not finite") as error:
        check_finite(table, tmp_path / "progress.csv")
    assert error.value.row == 3 and error.value.field == "ratio"
    assert not (tmp_path / "progress.csv").exists()


def test_os_errors_become_one_line_with_the_path_and_a_fix(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "data/processed/indicators.csv")
    assert describe_os_error(full) == (
        "data/processed/indicators.csv: No space left on device; the disk is full: free some "
        "space, then run make again"
    )
    read_only = OSError(errno.EROFS, "Read-only file system", "data/processed")
    assert "read-only" in describe_os_error(read_only) and "data/processed" in describe_os_error(
        read_only
    )


def test_a_failed_atomic_write_names_the_target_not_its_temporary(
    tmp_path: Path, monkeypatch
) -> None:
    """A full disk during the write of the hidden temporary file is reported under the output's name."""

    def no_space(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", no_space)
    target = tmp_path / "indicators.csv"
    with pytest.raises(OSError) as error:
        write_text_atomic(target, "x")
    assert error.value.filename == str(target) and error.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []
