"""International readers (UNHCR, WGI, WJP, SDG DDF, WDI API): small fixtures in each publisher's
layout, the values a layout must give, and one line naming file, row and field for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean.readers import reader_for
from analysis.clean.readers_intl import (
    read_sdg_ddf,
    read_unhcr_sum,
    read_wdi_api,
    read_wgi_long,
    read_wjp_historical,
)
from analysis.core.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_line(exc: pytest.ExceptionInfo[DataError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


# --- UNHCR ---------------------------------------------------------------------------------------

DECISIONS_HEADER = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
    "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
)
DECISIONS_CONFIG = {
    "filter": {"coa_iso": "MEX"},
    "columns": {"dec_closed": "asylum_decisions_closed"},
    "ratios": {
        "asylum_recognition_rate": {
            "numerator": ["dec_recognized", "dec_other"],
            "denominator": ["dec_recognized", "dec_other", "dec_rejected"],
        }
    },
    "geo": "MEX",
}


def decisions(tmp_path: Path, rows: str) -> Path:
    return write(tmp_path, "asylum_decisions_MEX.csv", DECISIONS_HEADER + rows)


def test_unhcr_sums_every_origin_into_mexico_and_computes_the_recognition_rate(
    tmp_path: Path,
) -> None:
    path = decisions(
        tmp_path,
        "2024,Honduras,HON,HND,Mexico,MEX,MEX,G,FI,P,60.0,10.0,30.0,5.0,105.0\n"
        "2024,Cuba,CUB,CUB,Mexico,MEX,MEX,G,FI,P,20.0,0.0,80.0,15.0,115.0\n"
        "2024,Mexico,MEX,MEX,United States of America,USA,USA,G,FI,P,999.0,0.0,1.0,0.0,1000.0\n"
        "2025,Cuba,CUB,CUB,Mexico,MEX,MEX,G,FI,P,0.0,0.0,0.0,7.0,7.0\n",
    )
    frame = read_unhcr_sum(path, DECISIONS_CONFIG).set_index(["indicator_id", "period"])
    # (60 + 10 + 20) / (60 + 10 + 30 + 20 + 80) = 45 %; the Mexican-origin row abroad is not counted
    assert frame.loc[("asylum_recognition_rate", "2024"), "value"] == pytest.approx(45.0)
    assert frame.loc[("asylum_decisions_closed", "2024"), "value"] == 20.0
    assert frame.loc[("asylum_recognition_rate", "2024"), "source_row"] == 2
    # no substantive decision in 2025: the rate is a gap, the closures are still counted
    assert ("asylum_recognition_rate", "2025") not in frame.index
    assert frame.loc[("asylum_decisions_closed", "2025"), "value"] == 7.0


def test_unhcr_names_a_non_numeric_cell(tmp_path: Path) -> None:
    path = decisions(tmp_path, "2024,Cuba,CUB,CUB,Mexico,MEX,MEX,G,FI,P,20.0,n/a,80.0,15.0,115.0\n")
    with pytest.raises(DataError) as exc:
        read_unhcr_sum(path, DECISIONS_CONFIG)
    assert one_line(exc) == (f"{path}: row 2, field 'dec_other': 'n/a' is not a number")


def test_unhcr_names_a_renamed_column_and_a_filter_matching_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", DECISIONS_HEADER.replace("dec_rejected", "rejected") + "")
    with pytest.raises(DataError, match="no data rows"):
        read_unhcr_sum(path, DECISIONS_CONFIG)
    path = write(
        tmp_path,
        "d2.csv",
        DECISIONS_HEADER.replace("dec_rejected", "rejected")
        + "2024,Cuba,CUB,CUB,Mexico,MEX,MEX,G,FI,P,1,0,1,0,2\n",
    )
    with pytest.raises(DataError) as exc:
        read_unhcr_sum(path, DECISIONS_CONFIG)
    assert "field 'dec_rejected': required column is missing or renamed" in one_line(exc)
    path = decisions(tmp_path, "2024,Cuba,CUB,CUB,Chile,CHL,CHL,G,FI,P,1,0,1,0,2\n")
    with pytest.raises(DataError, match="no row matches the filter"):
        read_unhcr_sum(path, DECISIONS_CONFIG)


def test_unhcr_snapshot_gives_the_published_mexico_figures() -> None:
    rate = read_unhcr_sum(RAW / "unhcr" / "asylum_decisions_MEX.csv", DECISIONS_CONFIG)
    rate = rate[rate["indicator_id"] == "asylum_recognition_rate"].set_index("period")["value"]
    assert [round(rate[y], 1) for y in ("2023", "2024", "2025")] == [73.6, 79.4, 79.9]
    applied = read_unhcr_sum(
        RAW / "unhcr" / "asylum_applications_MEX.csv",
        {"filter": {"coa_iso": "MEX"}, "columns": {"applied": "asylum_applications_unhcr"}},
    ).set_index("period")["value"]
    assert [applied[y] for y in ("2023", "2024", "2025")] == [140979, 78966, 70482]


# --- WGI -----------------------------------------------------------------------------------------

WGI_HEADER = (
    "codeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,"
    "pctranklower,pctrankupper\n"
)
WGI_CONFIG = {
    "geo_codes": {"MEX": "MEX"},
    "rows": {"va|pctrank": "wgi_voice_accountability_pct", "va|estimate": "wgi_va_est"},
}


def test_wgi_reads_rank_and_estimate_and_keeps_dots_as_gaps(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "wgi.csv",
        WGI_HEADER
        + "MEXva2022,MEX,Mexico,2022,va,-0.12,0.12,12,42.03,35.7,48.3\n"
        + "MEXva2023,MEX,Mexico,2023,va,..,..,..,42.16,35.8,48.5\n"
        + "MEXcc2023,MEX,Mexico,2023,cc,-1.02,0.13,12,17.45,12.7,23.6\n",
    )
    frame = read_wgi_long(path, WGI_CONFIG)
    assert sorted(zip(frame["indicator_id"], frame["period"], frame["value"], strict=True)) == [
        ("wgi_va_est", "2022", -0.12),
        ("wgi_voice_accountability_pct", "2022", 42.03),
        ("wgi_voice_accountability_pct", "2023", 42.16),
    ]


def test_wgi_names_an_unknown_geography_code(tmp_path: Path) -> None:
    path = write(tmp_path, "wgi.csv", WGI_HEADER + "MXva2023,MX,Mexico,2023,va,-0.1,0.1,1,42,1,2\n")
    with pytest.raises(DataError) as exc:
        read_wgi_long(path, WGI_CONFIG)
    assert one_line(exc) == (
        f"{path}: row 2, field 'code': unknown geography code 'MX' (mapped: MEX)"
    )


# --- WJP -----------------------------------------------------------------------------------------

WJP_HEADER = (
    "Country,Year,Country_year,Country Code,Region,WJP Rule of Law Index: Overall Score,"
    "Factor 3: Open Government \n"
)
WJP_CONFIG = {
    "geo_codes": {"MEX": "MEX"},
    "skip_editions": ["2017-2018"],
    "columns": {"WJP Rule of Law Index: Overall Score": "wjp_rule_of_law_index"},
}


def test_wjp_leaves_out_two_year_editions_it_was_told_about(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "wjp.csv",
        WJP_HEADER
        + "Mexico,2017-2018,Mexico_2017-2018,MEX,LAC,0.457,0.4\n"
        + "Mexico,2025,Mexico_2025,MEX,LAC,0.403,0.4\n",
    )
    frame = read_wjp_historical(path, WJP_CONFIG)
    assert frame["period"].tolist() == ["2025"] and frame["value"].tolist() == [0.403]


def test_wjp_names_an_unexpected_edition_label_and_a_renamed_column(tmp_path: Path) -> None:
    path = write(tmp_path, "wjp.csv", WJP_HEADER + "Mexico,2012-2013,M,MEX,LAC,0.47,0.4\n")
    with pytest.raises(DataError) as exc:
        read_wjp_historical(path, WJP_CONFIG)
    assert one_line(exc) == f"{path}: row 2, field 'Year': '2012-2013' is not a year (YYYY)"
    renamed = WJP_HEADER.replace("Overall Score", "Overall")
    path = write(tmp_path, "wjp2.csv", renamed + "Mexico,2025,M,MEX,LAC,0.40,0.4\n")
    with pytest.raises(DataError, match=r"'WJP Rule of Law Index: Overall Score'.*renamed"):
        read_wjp_historical(path, WJP_CONFIG)


# --- SDG database, DDF layout --------------------------------------------------------------------

DDF_HEADER = "geo_area,nature,sex,units,year,vc_prs_unsnt\n"
DDF_CONFIG = {
    "ddf_series": "vc_prs_unsnt",
    "indicator": "unsentenced_detainees_pct",
    "select": {"sex": "bothsex"},
    "geo_codes": {"484": "MEX", "419": "M49_419"},
}


def test_ddf_selects_the_headline_cut_and_maps_m49_codes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ddf.csv",
        DDF_HEADER
        + "484,c,bothsex,percent,2021,42.13\n"
        + "484,c,female,percent,2021,52.85\n"
        + "419,n,bothsex,percent,2021,32.87\n",
    )
    frame = read_sdg_ddf(path, DDF_CONFIG)
    assert sorted(zip(frame["geo"], frame["value"], strict=True)) == [
        ("M49_419", 32.87),
        ("MEX", 42.13),
    ]
    assert frame["source_field"].unique().tolist() == ["vc_prs_unsnt"]


def test_ddf_refuses_an_ambiguous_duplicate(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ddf.csv",
        DDF_HEADER + "484,c,bothsex,percent,2021,42.13\n" + "484,e,bothsex,percent,2021,40.0\n",
    )
    with pytest.raises(DataError) as exc:
        read_sdg_ddf(path, DDF_CONFIG)
    assert one_line(exc).startswith(
        f"{path}: row 3, field 'vc_prs_unsnt': ambiguous duplicate: MEX 2021 already on row 2"
    )


def test_ddf_refuses_a_dimension_without_a_selected_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ddf.csv",
        "age,geo_area,nature,sex,units,year,vc_prs_unsnt\n15,484,c,bothsex,percent,2021,42.1\n",
    )
    with pytest.raises(DataError) as exc:
        read_sdg_ddf(path, DDF_CONFIG)
    assert one_line(exc) == (
        f"{path}: row 1, field 'age': dimension 'age' has no selected value in x-clean.select"
    )


def test_ddf_names_an_unknown_geography_and_a_non_numeric_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "ddf.csv", DDF_HEADER + "1,n,bothsex,percent,2021,30.8\n")
    with pytest.raises(DataError, match="row 2, field 'geo_area': unknown geography code '1'"):
        read_sdg_ddf(path, DDF_CONFIG)
    path = write(tmp_path, "ddf2.csv", DDF_HEADER + "484,c,bothsex,percent,2021,42,1\n")
    with pytest.raises(DataError, match="row 2: has 7 cells, header has 6"):
        read_sdg_ddf(path, DDF_CONFIG)
    path = write(tmp_path, "ddf3.csv", DDF_HEADER + "484,c,bothsex,percent,2021,NaN%\n")
    with pytest.raises(DataError) as exc:
        read_sdg_ddf(path, DDF_CONFIG)
    assert one_line(exc) == f"{path}: row 2, field 'vc_prs_unsnt': 'NaN%' is not a number"


# --- WDI API download ----------------------------------------------------------------------------

WDI_PREAMBLE = (
    '"Data Source","World Development Indicators"\n\n"Last Updated Date","2025-04-15"\n\n'
)
WDI_HEADER = '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023"\n'
WDI_CONFIG = {
    "indicators": {"SP.DYN.IMRT.IN": "infant_mortality_rate"},
    "geo_codes": {"MEX": "MEX", "LCN": "LCN"},
}


def test_wdi_api_reads_peers_and_takes_the_vintage_from_the_preamble(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "wdi.csv",
        WDI_PREAMBLE
        + WDI_HEADER
        + '"Mexico","MEX","Mortality rate, infant","SP.DYN.IMRT.IN","11.1","10.8"\n'
        + '"Latin America & Caribbean","LCN","Mortality rate, infant","SP.DYN.IMRT.IN","","13.5"\n',
    )
    frame = read_wdi_api(path, WDI_CONFIG)
    assert sorted(zip(frame["geo"], frame["period"], frame["value"], strict=True)) == [
        ("LCN", "2023", 13.5),
        ("MEX", "2022", 11.1),
        ("MEX", "2023", 10.8),
    ]
    assert set(frame["vintage"]) == {"2025-04-15"}
    assert frame.loc[frame["geo"] == "LCN", "source_row"].tolist() == [7]


def test_wdi_api_names_a_missing_preamble(tmp_path: Path) -> None:
    path = write(
        tmp_path, "wdi.csv", WDI_HEADER + '"Mexico","MEX","x","SP.DYN.IMRT.IN","11.1","10.8"\n'
    )
    with pytest.raises(DataError) as exc:
        read_wdi_api(path, WDI_CONFIG)
    assert one_line(exc) == (
        f"{path}: row 1: WDI preamble missing: line 1 should start with 'Data Source' "
        "(header expected on line 5)"
    )


def test_wdi_api_names_an_unknown_economy_and_an_unmapped_series(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "wdi.csv",
        WDI_PREAMBLE + WDI_HEADER + '"Brazil","BRA","x","SP.DYN.IMRT.IN","12.6","12.5"\n',
    )
    with pytest.raises(DataError, match="row 6, field 'Country Code': unknown geography code"):
        read_wdi_api(path, WDI_CONFIG)
    path = write(
        tmp_path,
        "wdi2.csv",
        WDI_PREAMBLE + WDI_HEADER + '"Mexico","MEX","x","SP.DYN.LE00.IN","74","75"\n',
    )
    with pytest.raises(DataError, match="row 6, field 'Indicator Code': indicator code"):
        read_wdi_api(path, WDI_CONFIG)


def test_international_readers_are_registered() -> None:
    for name in ("unhcr_sum", "wgi_long", "wjp_historical", "sdg_ddf", "wdi_api"):
        assert callable(reader_for(name))


# --- the extract script for the multi-country files -----------------------------------------------


def api_zip(path: Path, rows: list[str], preamble: bool = True) -> None:
    import zipfile

    text = (
        '\ufeff"Data Source","World Development Indicators",\n\n'
        '"Last Updated Date","2025-04-15",\n\n'
        if preamble
        else ""
    ) + '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023",\n'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("API_SP.DYN.IMRT.IN_DS2_en_csv_v2_1.csv", text + "".join(rows))
        archive.writestr("Metadata_Country_API_SP.DYN.IMRT.IN_DS2_en_csv_v2_1.csv", "x\n")


def test_extract_keeps_mexico_and_peers_with_the_preamble_and_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts import extract_intl

    monkeypatch.setattr(extract_intl, "WDI_ZIPS", {"infant_mortality.zip": "SP.DYN.IMRT.IN"})
    (tmp_path / "src" / "WorldBank_WDI").mkdir(parents=True)
    economies = [("Mexico", "MEX"), ("Brazil", "BRA")] + [
        (code, code) for code in ("LCN", "UMC", "OED", "WLD")
    ]
    api_zip(
        tmp_path / "src" / "WorldBank_WDI" / "infant_mortality.zip",
        [
            f'"{n}","{c}","Mortality rate, infant","SP.DYN.IMRT.IN","11.1","10.8",\n'
            for n, c in economies
        ],
    )
    extract_intl.extract_wdi(tmp_path / "src", tmp_path / "raw")
    out = tmp_path / "raw" / extract_intl.WDI_OUT
    assert "BRA" not in out.read_text(encoding="utf-8")
    config = {
        "indicators": {"SP.DYN.IMRT.IN": "infant_mortality_rate"},
        "geo_codes": {c: c for c in ("MEX", "LCN", "UMC", "OED", "WLD")},
    }
    frame = read_wdi_api(out, config)
    assert sorted(set(frame["geo"])) == ["LCN", "MEX", "OED", "UMC", "WLD"] and len(frame) == 10


def test_extract_stops_on_a_zip_without_preamble(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts import extract_intl

    monkeypatch.setattr(extract_intl, "WDI_ZIPS", {"infant_mortality.zip": "SP.DYN.IMRT.IN"})
    (tmp_path / "WorldBank_WDI").mkdir()
    api_zip(tmp_path / "WorldBank_WDI" / "infant_mortality.zip", [], preamble=False)
    with pytest.raises(SystemExit, match="has no WDI preamble"):
        extract_intl.extract_wdi(tmp_path, tmp_path / "raw")
