"""Publisher readers: layouts parsed, gaps kept as gaps, bad cells named by file, row and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean.readers import (
    bie_period,
    normalise_period,
    parse_number,
    read_bie_series,
    read_long_table,
    read_wdi_wide,
    read_wide_by_row,
)
from analysis.core.errors import DataError

WDI_CONFIG = {
    "header_row": 5,
    "indicator": "gdp_real_growth",
    "indicator_code": "NY.GDP.MKTP.KD.ZG",
    "geo_codes": {"MEX": "MEX"},
}
POVERTY_CONFIG = {
    "key_fields": ["indicador", "medida"],
    "rows": {"Pobreza|porcentaje": "poverty_multidimensional_pct"},
    "geo": "MEX",
}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def wdi_text(row: str) -> str:
    return (
        '"Data Source","World Development Indicators"\n\n"Last Updated Date","2024-06-28"\n\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021"\n'
        + row
    )


def test_wdi_reader_melts_years_and_skips_empty_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.csv",
        wdi_text('"Mexico","MEX","GDP growth","NY.GDP.MKTP.KD.ZG","-0.3","","5.7"\n'),
    )
    frame = read_wdi_wide(path, WDI_CONFIG)
    assert frame["period"].tolist() == ["2019", "2021"]  # 2020 is a gap, not a zero
    assert frame["value"].tolist() == [-0.3, 5.7]
    assert set(frame["freq"]) == {"A"} and set(frame["geo"]) == {"MEX"}
    assert frame["source_row"].tolist() == [6, 6]


def test_wdi_reader_names_unknown_country(tmp_path: Path) -> None:
    path = write(
        tmp_path, "w.csv", wdi_text('"Chile","CHL","GDP growth","NY.GDP.MKTP.KD.ZG","1","2","3"\n')
    )
    with pytest.raises(DataError) as err:
        read_wdi_wide(path, WDI_CONFIG)
    assert (
        "row 6" in str(err.value) and "'Country Code'" in str(err.value) and "CHL" in str(err.value)
    )


def test_wdi_reader_refuses_another_indicator(tmp_path: Path) -> None:
    path = write(
        tmp_path, "w.csv", wdi_text('"Mexico","MEX","Inflation","FP.CPI.TOTL.ZG","1","2","3"\n')
    )
    with pytest.raises(DataError, match="Indicator Code"):
        read_wdi_wide(path, WDI_CONFIG)


def test_wide_reader_non_numeric_value_names_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "indicador,medida,2018,2020\nPobreza,porcentaje,41.9,n.d.\n")
    with pytest.raises(DataError) as err:
        read_wide_by_row(path, POVERTY_CONFIG)
    message = str(err.value)
    assert (
        str(path) in message
        and "row 2" in message
        and "field '2020'" in message
        and "n.d." in message
    )


def test_wide_reader_unknown_row_label(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "indicador,medida,2018\nPobreza rural,porcentaje,55.0\n")
    with pytest.raises(
        DataError, match=r"row 2, field 'indicador': unknown row label 'Pobreza rural\|porcentaje'"
    ):
        read_wide_by_row(path, POVERTY_CONFIG)


def test_wide_reader_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "indicator,medida,2018\nPobreza,porcentaje,41.9\n")
    with pytest.raises(
        DataError, match=r"row 1, field 'indicador': required column is missing or renamed"
    ):
        read_wide_by_row(path, POVERTY_CONFIG)


def test_reader_wrong_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "indicador;medida;2018\nPobreza;porcentaje;41.9\n")
    with pytest.raises(DataError, match="wrong delimiter"):
        read_wide_by_row(path, POVERTY_CONFIG)


def test_reader_wrong_encoding(tmp_path: Path) -> None:
    path = write(
        tmp_path, "p.csv", "indicador,medida,2018\nPobreza ñ,porcentaje,41.9\n", encoding="latin-1"
    )
    with pytest.raises(DataError, match="not UTF-8"):
        read_wide_by_row(path, POVERTY_CONFIG)


def test_reader_empty_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="empty"):
        read_wide_by_row(write(tmp_path, "e.csv", ""), POVERTY_CONFIG)
    with pytest.raises(DataError, match="raw file is missing"):
        read_wide_by_row(tmp_path / "absent.csv", POVERTY_CONFIG)


def test_reader_ragged_row(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "indicador,medida,2018\nPobreza,porcentaje\n")
    with pytest.raises(DataError, match=r"row 2: has 2 cells, header has 3"):
        read_wide_by_row(path, POVERTY_CONFIG)


def test_bie_quarterly_periods(tmp_path: Path) -> None:
    path = write(tmp_path, "b.csv", "Periodo,PIB\n2019/04,100.5\n2020/01,99\n2020/02,\n")
    frame = read_bie_series(path, {"indicator": "gdp_real_sa_level", "freq": "Q"})
    assert frame["period"].tolist() == ["2019Q4", "2020Q1"]
    assert frame["value"].tolist() == [100.5, 99.0]


@pytest.mark.parametrize(
    ("text", "freq", "expected"),
    [("2020/02", "Q", "2020Q2"), ("2020/11", "M", "2020-11"), ("1993/01", "Q", "1993Q1")],
)
def test_bie_period(text: str, freq: str, expected: str) -> None:
    assert bie_period(text, freq, file=Path("f"), row=1, field="Periodo") == expected


@pytest.mark.parametrize(
    ("text", "freq"), [("2020/05", "Q"), ("2020-02", "Q"), ("2020/13", "M"), ("20/01", "Q")]
)
def test_bie_period_rejects(text: str, freq: str) -> None:
    with pytest.raises(DataError, match="not a BIE period"):
        bie_period(text, freq, file=Path("f"), row=3, field="Periodo")


def test_parse_number() -> None:
    assert parse_number(" 41.9 ", file=Path("f"), row=1, field="x") == 41.9
    assert parse_number("", file=Path("f"), row=1, field="x") is None
    with pytest.raises(DataError, match="not a finite number"):
        parse_number("inf", file=Path("f"), row=2, field="x")


def test_long_table_with_geo_and_frequency(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "l.csv",
        "cve_ent,indicador,freq,periodo,valor\n"
        "00,Pobreza,A,2020,43.9\n07,Pobreza,A,2018,76.4\n00,Pobreza,Q,2020Q2,\n",
    )
    config = {
        "key_fields": ["indicador"],
        "rows": {"Pobreza": "poverty_multidimensional_pct"},
        "geo_field": "cve_ent",
        "geo_map": {"00": "MEX"},
        "freq_field": "freq",
    }
    frame = read_long_table(path, config)
    assert frame[["geo", "period", "value"]].values.tolist() == [
        ["MEX", "2020", 43.9],
        ["07", "2018", 76.4],
    ]


def test_long_table_bad_frequency(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "indicador,freq,periodo,valor\nPobreza,W,2020,1\n")
    config = {"key_fields": ["indicador"], "rows": {"Pobreza": "x"}, "freq_field": "freq"}
    with pytest.raises(DataError, match=r"row 2, field 'freq': frequency 'W' is not A, Q or M"):
        read_long_table(path, config)


def test_bie_export_with_several_series(tmp_path: Path) -> None:
    path = write(tmp_path, "b.csv", "Periodo,Total,Mujeres\n2020/01,27.7,\n2020/02,28.1,29.0\n")
    config = {"freq": "M", "columns": {"Total": "a", "Mujeres": "b"}}
    frame = read_bie_series(path, config)
    assert frame[["indicator_id", "period", "value"]].values.tolist() == [
        ["a", "2020-01", 27.7],
        ["a", "2020-02", 28.1],
        ["b", "2020-02", 29.0],
    ]


def test_wdi_several_indicators(tmp_path: Path) -> None:
    text = wdi_text(
        '"Mexico","MEX","GDP growth","NY.GDP.MKTP.KD.ZG","1","2","3"\n'
        '"Mexico","MEX","Unemployment","SL.UEM.TOTL.ZS","3.5","4.4",""\n'
    )
    config = {
        "header_row": 5,
        "geo_codes": {"MEX": "MEX"},
        "indicators": {"NY.GDP.MKTP.KD.ZG": "g", "SL.UEM.TOTL.ZS": "u"},
    }
    frame = read_wdi_wide(write(tmp_path, "w.csv", text), config)
    assert frame.groupby("indicator_id").size().to_dict() == {"g": 3, "u": 2}


@pytest.mark.parametrize(
    ("text", "freq", "expected"),
    [
        ("2020", "A", "2020"),
        ("2020Q3", "Q", "2020Q3"),
        ("2020/03", "Q", "2020Q3"),
        ("2020-07", "M", "2020-07"),
        ("2020/07", "M", "2020-07"),
    ],
)
def test_normalise_period(text: str, freq: str, expected: str) -> None:
    assert normalise_period(text, freq, file=Path("f"), row=1, field="p") == expected


@pytest.mark.parametrize(
    ("text", "freq"),
    [("2020Q3", "M"), ("2020-07", "Q"), ("2020", "Q"), ("2020Q5", "Q"), ("20x0", "A")],
)
def test_normalise_period_rejects(text: str, freq: str) -> None:
    with pytest.raises(DataError, match="is not a period of frequency"):
        normalise_period(text, freq, file=Path("f"), row=1, field="p")
