"""Snapshot validation: the embedded data passes; corrupted copies fail with file, row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.core.errors import DataError
from analysis.snapshot.validate import load_descriptor, refresh_checksums, validate_snapshot
from helpers import RAW, replace_in_file

CONEVAL = "coneval/pobreza_nacional_2008_2018.csv"


def test_embedded_snapshot_is_valid() -> None:
    report = validate_snapshot(RAW / "datapackage.json")
    assert report.valid, [str(e) for e in report.errors]
    described = load_descriptor(RAW / "datapackage.json")["resources"]
    assert [r.name for r in report.resources] == [r["name"] for r in described]
    assert all(r.rows > 0 and len(r.sha256) == 64 for r in report.resources)


def test_every_resource_carries_provenance() -> None:
    descriptor = load_descriptor(RAW / "datapackage.json")
    for resource in descriptor["resources"]:
        provenance = resource["x-provenance"]
        assert provenance["publisher"] and provenance["vintage"] and provenance["access_date"]
        assert resource["sources"][0]["path"].startswith(("https://", "http://"))
        assert resource["licenses"] and resource["hash"].startswith("sha256:")


def test_corrupted_cell_names_file_row_and_field(raw_copy: Path) -> None:
    replace_in_file(raw_copy.parent / CONEVAL, "46.1", "46,1x")
    report = validate_snapshot(raw_copy)
    assert not report.valid
    messages = [str(e) for e in report.errors]
    type_errors = [m for m in messages if "type-error" in m or "extra-cell" in m]
    assert type_errors, messages
    assert any(CONEVAL in m and "row 2" in m for m in type_errors), messages


def test_checksum_mismatch_names_file(raw_copy: Path) -> None:
    replace_in_file(raw_copy.parent / CONEVAL, "46.1", "46.2")  # still a valid number
    report = validate_snapshot(raw_copy)
    messages = [str(e) for e in report.errors]
    assert len(messages) == 1, messages
    assert CONEVAL in messages[0] and "checksum mismatch" in messages[0]


def test_refresh_checksums_makes_a_deliberate_edit_valid(raw_copy: Path) -> None:
    replace_in_file(raw_copy.parent / CONEVAL, "46.1", "46.2")
    changes = refresh_checksums(raw_copy)
    assert len(changes) == 1 and changes[0].startswith("coneval_pobreza_2008_2018:")
    assert validate_snapshot(raw_copy).valid
    assert refresh_checksums(raw_copy) == []


def test_missing_raw_file(raw_copy: Path) -> None:
    (raw_copy.parent / CONEVAL).unlink()
    messages = [str(e) for e in validate_snapshot(raw_copy).errors]
    assert any(CONEVAL in m and "raw file is missing" in m for m in messages)


def test_undescribed_raw_file_is_refused(raw_copy: Path) -> None:
    (raw_copy.parent / "coneval" / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    messages = [str(e) for e in validate_snapshot(raw_copy).errors]
    assert any("extra.csv" in m and "not described" in m for m in messages)


def test_renamed_column_is_reported(raw_copy: Path) -> None:
    replace_in_file(raw_copy.parent / CONEVAL, "indicador,medida", "indicator,medida")
    messages = [str(e) for e in validate_snapshot(raw_copy).errors]
    assert any(CONEVAL in m and "indicador" in m for m in messages), messages


def test_malformed_descriptor(raw_copy: Path) -> None:
    raw_copy.write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage.json: row 1: malformed JSON"):
        validate_snapshot(raw_copy)


def test_missing_provenance_is_refused(raw_copy: Path) -> None:
    descriptor = json.loads(raw_copy.read_text(encoding="utf-8"))
    del descriptor["resources"][0]["x-provenance"]["vintage"]
    raw_copy.write_text(json.dumps(descriptor), encoding="utf-8")
    messages = [str(e) for e in validate_snapshot(raw_copy).errors]
    assert any("wdi_gdp_growth" in m and "vintage" in m for m in messages)
