"""Mexican national and state layouts: the CONEVAL annex workbook and state panels (INEGI PIBE,
CONAPO, Banxico), on small fixtures in the publishers' layouts written here; bad input (a renamed
sheet, a missing header, an unknown geography, a non-numeric cell) stops with one line naming the
file, the sheet or row, and the field. Then the tidy table's state coverage and derived series."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from analysis.clean.readers import reader_for
from analysis.clean.readers_mx import read_coneval_annex, read_state_panel, xlsx_sheet
from analysis.clean.states import dispersion, fill_gaps
from analysis.clean.tidy import build_tidy
from analysis.core.errors import DataError
from analysis.snapshot.catalog import STATE_CODES
from helpers import RAW

# --- a workbook in the annex's layout ---------------------------------------------------------

#: Cuadro 4A as CONEVAL lays it out: title lines, block headers (merged: only the first cell
#: holds text), measure headers, years with '**' on 2022, one row per entity, notes in column A.
CUADRO_4A = {
    3: {"A": "Cuadro 4A"},
    4: {"A": "Medición multidimensional de la pobreza*"},
    6: {"C": "Entidad \nfederativa", "D": "Pobreza", "I": "Pobreza extrema"},
    7: {"D": "Porcentaje", "F": "Miles de personas", "I": "Porcentaje"},
    8: {"D": "2020", "E": "2022**", "F": "2020", "G": "2022**", "I": "2020", "J": "2022**"},
    9: {
        "C": "Aguascalientes",
        "D": 27.6,
        "E": 23.7,
        "F": 396.461,
        "G": 351.997,
        "I": 2.4,
        "J": 1.8,
    },
    10: {"C": "Chiapas", "D": 75.5, "E": 67.4, "F": 4218.026, "G": 3838.705, "I": 29.0, "J": 28.2},
    11: {"C": "Estados Unidos Mexicanos", "D": 43.9, "E": 36.3, "F": 55654.2, "G": 46804.5},
    13: {"A": "Fuente: estimaciones del CONEVAL"},
}
CUADRO_1 = {
    6: {"C": "Indicadores", "D": "Porcentaje"},
    7: {"D": "2018", "E": "2020"},
    8: {"C": "Privación social"},
    9: {"C": "Población con al menos una carencia social", "D": 68.3, "E": 67.6},
    10: {"C": "    Población con al menos tres carencias sociales", "D": 20.2, "E": 23.0},
}
GEO_NAMES = {"Aguascalientes": "01", "Chiapas": "07", "Estados Unidos Mexicanos": "MEX"}
TABLE_4A = {
    "sheet": "Cuadro 4A",
    "header_rows": [6, 7],
    "year_row": 8,
    "scale": {"Pobreza|Miles de personas": 0.001},
    "columns": {
        "Pobreza|Porcentaje": "poverty_multidimensional_pct",
        "Pobreza|Miles de personas": "poverty_multidimensional_persons",
        "Pobreza extrema|Porcentaje": "poverty_extreme_pct",
    },
}
TABLE_1 = {
    "sheet": "Cuadro 1",
    "header_rows": [6],
    "year_row": 7,
    "geo": "MEX",
    "cells": {
        "Población con al menos una carencia social|Porcentaje": "at_least_one_deprivation_pct",
        "Población con al menos tres carencias sociales|Porcentaje": "three_or_more_deprivations_pct",
    },
}
ANNEX = {"label_column": "C", "geo_names": GEO_NAMES, "tables": [TABLE_4A, TABLE_1]}


def _sheet_xml(rows: dict[int, dict[str, object]]) -> str:
    cells = []
    for number in sorted(rows):
        parts = []
        for column, value in rows[number].items():
            ref = f"{column}{number}"
            if isinstance(value, str):
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            else:
                parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        cells.append(f'<row r="{number}">{"".join(parts)}</row>')
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(cells)}</sheetData></worksheet>"
    )


def write_workbook(path: Path, sheets: dict[str, dict[int, dict[str, object]]]) -> Path:
    """A minimal xlsx (inline strings, no styles) with the given sheets, in order."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" Type="{rel}/worksheet"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{entries}</sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i, rows in enumerate(sheets.values(), start=1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(rows))
    return path


@pytest.fixture
def annex(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "anexo.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": CUADRO_4A})


def with_cell(sheet: dict, row: int, column: str, value: object | None) -> dict:
    changed = {r: dict(cells) for r, cells in sheet.items()}
    if value is None:
        changed[row].pop(column, None)
    else:
        changed[row][column] = value
    return changed


def test_annex_reads_states_nation_and_indicator_rows(annex: Path) -> None:
    frame = read_coneval_annex(annex, ANNEX)
    cell = frame.set_index(["indicator_id", "geo", "period"])
    assert cell.loc[("poverty_multidimensional_pct", "07", "2022"), "value"] == 67.4
    assert cell.loc[("poverty_multidimensional_pct", "MEX", "2020"), "value"] == 43.9
    # thousands of persons scaled to millions; the 2022** header is the year 2022
    assert cell.loc[("poverty_multidimensional_persons", "01", "2022"), "value"] == pytest.approx(
        0.351997
    )
    assert cell.loc[("poverty_extreme_pct", "07", "2020"), "source_field"] == "I10"
    # the national row has no extreme-poverty cells here: a gap stays a gap
    assert ("poverty_extreme_pct", "MEX", "2020") not in cell.index
    # Cuadro 1: rows are indicators (leading spaces of indented labels ignored)
    assert cell.loc[("three_or_more_deprivations_pct", "MEX", "2020"), "value"] == 23.0
    assert cell.loc[("at_least_one_deprivation_pct", "MEX", "2018"), "source_row"] == 9
    assert len(frame) == 2 * 3 * 2 + 2 * 2 + 2 * 2  # states, nation (no extreme), Cuadro 1


def test_annex_reader_is_registered() -> None:
    assert reader_for("coneval_annex") is read_coneval_annex
    assert reader_for("state_panel") is read_state_panel


def test_annex_renamed_sheet_is_named(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4 A": CUADRO_4A})
    with pytest.raises(DataError, match=r"a\.xlsx: sheet 'Cuadro 4A' not found \(sheets: Cuadro 1"):
        read_coneval_annex(path, ANNEX)


def test_annex_missing_year_header_is_named(tmp_path: Path) -> None:
    sheet = {r: c for r, c in CUADRO_4A.items() if r != 8}
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": sheet})
    with pytest.raises(DataError) as caught:
        read_coneval_annex(path, ANNEX)
    assert str(caught.value) == (
        f"{path.name} [Cuadro 4A]: row 8: header line with the years is missing"
    )


def test_annex_renamed_column_header_is_named(tmp_path: Path) -> None:
    sheet = with_cell(CUADRO_4A, 6, "I", "Pobreza  extrema (%)")
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": sheet})
    with pytest.raises(DataError) as caught:
        read_coneval_annex(path, ANNEX)
    message = str(caught.value)
    assert message.startswith("a.xlsx [Cuadro 4A]: row 8, field 'Pobreza extrema|Porcentaje'")
    assert "missing or renamed" in message


def test_annex_unknown_entity_is_named(tmp_path: Path) -> None:
    sheet = with_cell(CUADRO_4A, 10, "C", "Chiapa")
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": sheet})
    with pytest.raises(DataError) as caught:
        read_coneval_annex(path, ANNEX)
    assert str(caught.value) == (
        "a.xlsx [Cuadro 4A]: row 10, field 'C': unknown geography 'Chiapa' (not in geo_names)"
    )


def test_annex_missing_entity_is_named(tmp_path: Path) -> None:
    sheet = {r: c for r, c in CUADRO_4A.items() if r != 9}
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": sheet})
    with pytest.raises(DataError, match=r"field 'C': row 'Aguascalientes' is missing or renamed"):
        read_coneval_annex(path, ANNEX)


def test_annex_non_numeric_cell_is_named(tmp_path: Path) -> None:
    sheet = with_cell(CUADRO_4A, 10, "E", "n.d.")
    path = write_workbook(tmp_path / "a.xlsx", {"Cuadro 1": CUADRO_1, "Cuadro 4A": sheet})
    with pytest.raises(DataError) as caught:
        read_coneval_annex(path, ANNEX)
    assert str(caught.value) == "a.xlsx [Cuadro 4A]: row 10, field 'E10': 'n.d.' is not a number"


def test_annex_not_a_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_text("cuadro,valor\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.xlsx: not a readable xlsx workbook"):
        xlsx_sheet(path, "Cuadro 4A")


def test_embedded_annex_matches_the_documented_checks() -> None:
    """Values PROVENANCE checks against CONEVAL: Mexico, Chiapas and Nuevo León, 2016-2022."""
    cells = xlsx_sheet(RAW / "coneval" / "anexo_estadistico_2022.xlsx", "Cuadro 4A")
    rows = {" ".join(c.get("C", "").split()): c for c in cells.values()}
    rounded = [round(float(rows["Chiapas"][col]), 1) for col in "DEFG"]
    assert rounded == [77.9, 78.0, 75.5, 67.4]
    assert [round(float(rows["Nuevo León"][col]), 1) for col in "DEFG"] == [18.8, 19.4, 24.3, 16.0]


# --- state panels -------------------------------------------------------------------------------

PIBE = (
    "PERIODO,CVE_ENT,ENTIDAD,CLAVE_INDUSTRIA,INDUSTRIA,VALOR_CONSTANTE,VALOR_CORRIENTE\n"
    "2023,0,Nacional,PIB,Producto interno bruto,25030000.5,32000000\n"
    "2023,7,Chiapas,PIB,Producto interno bruto,390000.25,500000\n"
    "2023,7,Chiapas,11,Agricultura,40000,50000\n"
)
PIBE_CONFIG = {
    "geo_field": "CVE_ENT",
    "national": ["0"],
    "period_field": "PERIODO",
    "freq": "A",
    "filters": {"CLAVE_INDUSTRIA": "PIB"},
    "columns": {"VALOR_CONSTANTE": "gdp_state_constant_2018"},
}
REMESAS = "PERIODO,CVE_ENT,ENTIDAD,VALOR_USD\n2020-04-01,23,Quintana Roo,44340415\n"
REMESAS_CONFIG = {
    "geo_field": "CVE_ENT",
    "period_field": "PERIODO",
    "period_format": "date",
    "freq": "Q",
    "scale": 1e-6,
    "columns": {"VALOR_USD": "remittance_inflows_state"},
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_state_panel_pads_codes_maps_the_nation_and_filters(tmp_path: Path) -> None:
    frame = read_state_panel(write(tmp_path, "pibe.csv", PIBE), PIBE_CONFIG)
    assert list(frame["geo"]) == ["MEX", "07"]  # the industry row is filtered out
    assert list(frame["value"]) == [25030000.5, 390000.25]
    assert list(frame["source_row"]) == [2, 3]


def test_state_panel_reads_first_day_periods(tmp_path: Path) -> None:
    frame = read_state_panel(write(tmp_path, "r.csv", REMESAS), REMESAS_CONFIG)
    assert (frame.loc[0, "period"], frame.loc[0, "freq"]) == ("2020Q2", "Q")
    assert frame.loc[0, "value"] == pytest.approx(44.340415)
    monthly = {**REMESAS_CONFIG, "freq": "M"}
    assert (
        read_state_panel(write(tmp_path, "m.csv", REMESAS), monthly).loc[0, "period"] == "2020-04"
    )


def test_state_panel_drops_projection_years(tmp_path: Path) -> None:
    text = "cve_ent,entidad,anio,poblacion\n07,Chiapas,2024,5900000\n07,Chiapas,2030,6200000\n"
    config = {
        "geo_field": "cve_ent",
        "national": ["00"],
        "period_field": "anio",
        "max_period": "2024",
        "columns": {"poblacion": "population_conapo"},
    }
    assert list(read_state_panel(write(tmp_path, "p.csv", text), config)["period"]) == ["2024"]


@pytest.mark.parametrize(
    ("text", "config", "message"),
    [
        (
            PIBE.replace("2023,7,Chiapas,PIB", "2023,33,Chiapas,PIB"),
            PIBE_CONFIG,
            "p.csv: row 3, field 'CVE_ENT': unknown geography code '33'",
        ),
        (
            PIBE.replace("390000.25", "n.d."),
            PIBE_CONFIG,
            "p.csv: row 3, field 'VALOR_CONSTANTE': 'n.d.' is not a number",
        ),
        (
            PIBE.replace("VALOR_CONSTANTE", "VALOR_CONST"),
            PIBE_CONFIG,
            "p.csv: row 1, field 'VALOR_CONSTANTE': required column is missing or renamed",
        ),
        (
            REMESAS.replace("2020-04-01", "2020-05-01"),
            REMESAS_CONFIG,
            "p.csv: row 2, field 'PERIODO': '2020-05-01' is not the first day of a period of "
            "frequency Q",
        ),
        (
            "\n".join(PIBE.splitlines()[1:]) + "\n",  # the header line lost
            PIBE_CONFIG,
            "p.csv: row 1, field 'CVE_ENT': required column is missing or renamed",
        ),
    ],
    ids=["unknown-geo", "non-numeric", "renamed-column", "bad-date", "no-header"],
)
def test_state_panel_bad_input_is_one_line(
    tmp_path: Path, text: str, config: dict, message: str
) -> None:
    path = write(tmp_path, "p.csv", text)
    with pytest.raises(DataError) as caught:
        read_state_panel(path, config)
    assert str(caught.value) == f"{path}: {message.removeprefix('p.csv: ')}"


# --- the tidy table: gap filling and derived series -------------------------------------------


def _rows(source: str, values: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "poverty_multidimensional_pct",
                "geo": geo,
                "period": period,
                "series": "lineamientos_2018",
                "value": value,
                "source_id": source,
                "source_file": f"{source}.csv",
                "source_row": i + 2,
                "source_field": "valor",
                "vintage": "2023-08",
                "freq": "A",
            }
            for i, ((geo, period), value) in enumerate(values.items())
        ]
    )


def _descriptor(known: list[dict] | None = None) -> dict:
    rule = {"agree_within": 0.05, "known_differences": known or []}
    return {"resources": [{"name": "annex", "x-clean": {"fills_gaps": rule}}, {"name": "release"}]}


def test_fill_gaps_keeps_the_release_and_adds_only_gaps() -> None:
    release = _rows("release", {("07", "2022"): 67.4})
    annex = _rows("annex", {("07", "2022"): 67.37, ("09", "2022"): 24.0})
    result, conflicts = fill_gaps(pd.concat([release, annex], ignore_index=True), _descriptor())
    assert conflicts == []
    assert sorted(zip(result["geo"], result["source_id"], result["value"], strict=True)) == [
        ("07", "release", 67.4),
        ("09", "annex", 24.0),
    ]


def test_fill_gaps_reports_an_unlisted_difference() -> None:
    release = _rows("release", {("02", "2022"): 14.3})
    annex = _rows("annex", {("02", "2022"): 13.37})
    combined = pd.concat([release, annex], ignore_index=True)
    result, conflicts = fill_gaps(combined, _descriptor())
    assert list(result["value"]) == [14.3]  # the release's value is kept either way
    assert len(conflicts) == 1
    assert str(conflicts[0]).startswith("annex.csv: row 2, field 'valor': ")
    assert "13.37 differs from 14.3 in release.csv row 2 by more than 0.05" in str(conflicts[0])
    listed = [{"indicator_id": "poverty_multidimensional_pct", "geo": "02", "period": "2022"}]
    assert fill_gaps(combined, _descriptor(listed))[1] == []


def test_dispersion_needs_all_32_states() -> None:
    full = {(code, "2020"): float(i + 1) for i, code in enumerate(sorted(STATE_CODES))}
    partial = {(code, "2024"): 10.0 for code in sorted(STATE_CODES)[:-1]}
    frame = _rows("annex", full | partial)
    table = dispersion(frame, "poverty_multidimensional_pct", "lineamientos_2018")
    assert list(table["period"]) == ["2020"]  # 2024 lacks a state: no spread, no row
    values = pd.Series(range(1, 33), dtype=float)
    assert table.loc[0, "cv"] == pytest.approx(values.std(ddof=0) / values.mean() * 100)
    assert table.loc[0, "range"] == 31.0


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_tidy(RAW / "datapackage.json")


def test_tidy_holds_poverty_for_all_32_states_in_every_annex_year(tidy: pd.DataFrame) -> None:
    for indicator in [
        "poverty_multidimensional_pct",
        "poverty_extreme_pct",
        "poverty_moderate_pct",
    ]:
        rows = tidy[(tidy.indicator_id == indicator) & (tidy.series == "lineamientos_2018")]
        for year in ["2016", "2018", "2020", "2022"]:
            states = set(rows.loc[rows.period == year, "geo"]) - {"MEX"}
            assert states == STATE_CODES, (indicator, year, sorted(STATE_CODES - states))


def test_tidy_closes_the_national_deprivation_gaps(tidy: pd.DataFrame) -> None:
    national = tidy[(tidy.geo == "MEX") & (tidy.series == "lineamientos_2018")]
    held = set(zip(national.indicator_id, national.period, strict=True))
    for indicator in [
        "at_least_one_deprivation_pct",
        "three_or_more_deprivations_pct",
        "deprivation_social_security_pct",
        "deprivation_food_pct",
        "deprivation_housing_quality_pct",
        "deprivation_basic_services_pct",
    ]:
        for year in ["2016", "2018", "2020", "2022"]:
            assert (indicator, year) in held, (indicator, year)
    value = national.set_index(["indicator_id", "period"])["value"]
    assert round(value[("at_least_one_deprivation_pct", "2020")], 1) == 67.6
    assert round(value[("three_or_more_deprivations_pct", "2018")], 1) == 20.2
    # a value the transcription already held is kept, not replaced by the annex's decimals
    assert value[("deprivation_health_pct", "2020")] == 28.2


def test_derived_spread_is_recomputed_from_the_state_rows(tidy: pd.DataFrame) -> None:
    rows = tidy[
        (tidy.indicator_id == "poverty_multidimensional_pct")
        & (tidy.series == "lineamientos_2018")
        & (tidy.period == "2022")
        & (tidy.geo != "MEX")
    ]["value"]
    cv = tidy[(tidy.indicator_id == "poverty_state_cv") & (tidy.period == "2022")]
    assert cv["value"].iloc[0] == pytest.approx(rows.std(ddof=0) / rows.mean() * 100)
    assert cv["source_id"].iloc[0] == "derived"
    assert "2024" not in set(tidy.loc[tidy.indicator_id == "poverty_state_cv", "period"])
    gdp = tidy[(tidy.indicator_id == "gdp_per_person_state") & (tidy.geo == "MEX")]
    assert 180_000 < gdp.set_index("period").loc["2024", "value"] < 200_000  # 25.40 trn / 132.3 m


# --- IMSS: one column per state, named ------------------------------------------------------

IMSS = (
    "Time,CDMX,CHIAPAS,NACIONAL\n2021/Dec,3312592,235059,3547651\n1997/Dec,2031712,102122,2133834\n"
)
IMSS_CONFIG = {
    "period_field": "Time",
    "indicator": "imss_registered_jobs",
    "geo_columns": {"CDMX": "09", "CHIAPAS": "07"},
    "ignore_columns": ["NACIONAL"],
}


def test_state_columns_reads_named_state_columns(tmp_path: Path) -> None:
    frame = reader_for("state_columns")(write(tmp_path, "i.csv", IMSS), IMSS_CONFIG)
    assert list(zip(frame["geo"], frame["period"], frame["value"], strict=True)) == [
        ("09", "2021-12", 3312592.0),
        ("07", "2021-12", 235059.0),
        ("09", "1997-12", 2031712.0),
        ("07", "1997-12", 102122.0),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (IMSS.replace("CHIAPAS", "CHIAPAS2"), "row 1, field 'CHIAPAS': required column"),
        (IMSS.replace(",NACIONAL", ",OAXACA"), "row 1, field 'NACIONAL': required column"),
        (
            IMSS.replace("Time,CDMX", "Time,CDMX,TOTAL")
            .replace("2021/Dec,", "2021/Dec,1,")
            .replace("1997/Dec,", "1997/Dec,1,"),
            "row 1, field 'TOTAL': column 'TOTAL' is not a known state",
        ),
        (IMSS.replace("2021/Dec", "2021/Dic"), "row 2, field 'Time': '2021/Dic' is not a month"),
        (IMSS.replace("235059", "235,059"), "has 5 cells, header has 4"),
        (IMSS.replace("235059", "s/d"), "row 2, field 'CHIAPAS': 's/d' is not a number"),
    ],
    ids=["renamed-state", "missing-column", "unknown-column", "bad-month", "thousands", "text"],
)
def test_state_columns_bad_input_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "i.csv", text)
    with pytest.raises(DataError, match=message):
        reader_for("state_columns")(path, IMSS_CONFIG)


def test_simplified_geometry_has_the_32_states_and_records_its_tolerance() -> None:
    import json

    geometry = json.loads((RAW / "inegi" / "estados_simplificado.geojson").read_text("utf-8"))
    codes = [f["properties"]["CVE_ENT"] for f in geometry["features"]]
    assert codes == sorted(STATE_CODES)
    assert geometry["x-simplification"]["tolerance_degrees"] == 0.01
    assert (RAW / "inegi" / "estados_simplificado.geojson").stat().st_size < 400_000


# --- SESNSP victims: bzip2 CSV, summed over modalidades ------------------------------------------

SESNSP_HEADER = (
    "n_year,cve_ent,nombre_estado,bien_juridico_afectado,tipo_de_delito,subtipo_de_delito,"
    "modalidad,genero,n_victimas,n_victimas_x100khab,n_victimas_x100kmujeres\n"
)
SESNSP_ROWS = [
    "2024,07,Chiapas,La vida,Homicidio,Homicidio doloso,Con arma blanca,Total,114,1.89,NA",
    "2024,07,Chiapas,La vida,Homicidio,Homicidio doloso,Con arma de fuego,Total,624,10.35,NA",
    "2024,07,Chiapas,La vida,Homicidio,Homicidio doloso,Con arma de fuego,Mujer,49,0.81,1.59",
    "2024,07,Chiapas,El patrimonio,Extorsión,Extorsión,Extorsión,Total,42,0.7,NA",
    "2024,00,Nacional,La vida,Homicidio,Homicidio doloso,Con arma blanca,Total,2080,1.57,NA",
    "2025,07,Chiapas,La vida,Homicidio,Homicidio doloso,Con arma blanca,Total,50,0.8,NA",
]
SESNSP_CONFIG = {
    "geo_field": "cve_ent",
    "period_field": "n_year",
    "max_period": "2024",
    "skip_codes": ["00"],
    "key_fields": ["subtipo_de_delito", "genero"],
    "sum_over": "modalidad",
    "rows": {
        "Homicidio doloso|Total": {"indicator": "homicide_victims_state", "column": "n_victimas"}
    },
}


def write_bz2(tmp_path: Path, rows: list[str], header: str = SESNSP_HEADER) -> Path:
    import bz2

    path = tmp_path / "v.csv.bz2"
    path.write_bytes(bz2.compress((header + "\n".join(rows) + "\n").encode("utf-8")))
    return path


def test_sesnsp_sums_modalidades_and_skips_other_crimes_nation_and_partial_year(
    tmp_path: Path,
) -> None:
    frame = reader_for("sesnsp_victims")(write_bz2(tmp_path, SESNSP_ROWS), SESNSP_CONFIG)
    assert frame[["indicator_id", "geo", "period", "value", "source_row"]].values.tolist() == [
        ["homicide_victims_state", "07", "2024", 738.0, 2]
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([SESNSP_ROWS[0].replace(",07,", ",34,")], "row 2, field 'cve_ent': unknown geography"),
        ([SESNSP_ROWS[0].replace(",114,", ",n.d.,")], "row 2, field 'n_victimas': 'n.d.' is not"),
        ([SESNSP_ROWS[0].replace(",114,", ",,")], "row 2, field 'n_victimas': value is empty"),
        ([SESNSP_ROWS[0].replace("2024,", "24,", 1)], "row 2, field 'n_year': '24' is not"),
    ],
    ids=["unknown-geo", "non-numeric", "empty", "bad-year"],
)
def test_sesnsp_bad_input_is_one_line(tmp_path: Path, rows: list[str], message: str) -> None:
    with pytest.raises(DataError, match=message):
        reader_for("sesnsp_victims")(write_bz2(tmp_path, rows), SESNSP_CONFIG)


def test_sesnsp_renamed_column_and_not_bzip2_are_named(tmp_path: Path) -> None:
    path = write_bz2(tmp_path, SESNSP_ROWS, SESNSP_HEADER.replace("modalidad", "modo"))
    with pytest.raises(DataError, match=r"row 1, field 'modalidad': required column is missing"):
        reader_for("sesnsp_victims")(path, SESNSP_CONFIG)
    plain = write(tmp_path, "p.csv.bz2", SESNSP_HEADER)
    with pytest.raises(DataError, match=r"p\.csv\.bz2: not a bzip2-compressed UTF-8 CSV"):
        reader_for("sesnsp_victims")(plain, SESNSP_CONFIG)


def test_state_victims_sum_to_the_national_series(tidy: pd.DataFrame) -> None:
    for state, national in [
        ("homicide_victims_state", "homicide_victims"),
        ("femicide_victims_state", "femicide_victims"),
    ]:
        states = tidy[tidy.indicator_id == state]
        assert set(states["geo"]) == STATE_CODES
        sums = states.groupby("period")["value"].sum()
        nation = tidy[(tidy.indicator_id == national) & (tidy.series == "sesnsp")]
        assert sums.to_dict() == nation.set_index("period")["value"].to_dict()
