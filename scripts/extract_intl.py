"""Write the Mexico-and-peers extracts of the international multi-country files into data/raw/.

Usage: python scripts/extract_intl.py SOURCE_DIR [--raw data/raw]

SOURCE_DIR holds the publishers' files as described in its PROVENANCE.md (folders WorldBank_WDI/
with the WDI API zips and UNSD_SDG_ddf/ with the Gapminder DDF files). Only rows are selected,
cells are copied as text, never recomputed: the WDI rows of Mexico and four World Bank aggregates
(LCN, UMC, OED, WLD), and the SDG rows of Mexico (M49 484), Latin America and the Caribbean (419)
and the World (1) (for the two US->Mexico corridor series, the rows with counterpart 'mx').
Prints the sha256 of every source file read, for the resource's x-provenance.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
import zipfile
from pathlib import Path

#: WDI series kept, by zip file name (the 14 zips hold one series each).
WDI_ZIPS = {
    "infant_mortality.zip": "SP.DYN.IMRT.IN",
    "life_expectancy.zip": "SP.DYN.LE00.IN",
    "school_enrollment_primary.zip": "SE.PRM.ENRR",
    "school_enrollment_secondary.zip": "SE.SEC.ENRR",
    "health_expenditure_per_capita.zip": "SH.XPD.CHEX.PC.CD",
    "access_to_electricity.zip": "EG.ELC.ACCS.ZS",
    "renewable_energy_pct.zip": "EG.FEC.RNEW.ZS",
    "internet_users_pct.zip": "IT.NET.USER.ZS",
}
WDI_GEOS = ("MEX", "LCN", "UMC", "OED", "WLD")
WDI_OUT = "worldbank/wdi_api_2025_04_15_MEX_peers.csv"

#: SDG DDF series kept (file ddf--datapoints--<series>--by--<keys>.csv).
SDG_SERIES = (
    "vc_prs_unsnt",
    "iu_cor_brib",
    "sg_inf_accss",
    "vc_prr_phyv",
    "vc_prr_robb",
    "vc_prr_sexv",
    "vc_vov_phyl",
    "vc_vov_robb",
    "vc_vov_sexl",
    "vc_ihr_psrc",
    "sg_gen_parl",
    "en_lnd_slum",
    "sm_pop_refg_or",
    "si_rmt_cost",
    "si_rmt_cost_bc",
    "si_rmt_cost_sc",
    "eg_fec_rnew",
    "it_use_ii99",
    "si_pov_nahc",
    "sd_mdp_muhc",
    "sl_isv_ifem",
    "sl_tlf_uem",
)
SDG_GEOS = ("484", "419", "1")
#: Series whose aggregates measure something else (16.10.2: the number of countries with
#: guarantees, not a yes/no): Mexico's rows only.
SDG_MEXICO_ONLY = frozenset({"sg_inf_accss"})
SDG_DIR = "unsd_sdg"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _strip_trailing_empty(cells: list[str]) -> list[str]:
    return cells[:-1] if cells and cells[-1] == "" else cells


def extract_wdi(source: Path, raw: Path) -> None:
    preamble: list[list[str]] | None = None
    header: list[str] | None = None
    kept: list[list[str]] = []
    for name, code in WDI_ZIPS.items():
        path = source / "WorldBank_WDI" / name
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.startswith("API_")]
            if len(members) != 1:
                sys.exit(f"{path}: expected one API_*.csv inside, found {members}")
            text = archive.read(members[0]).decode("utf-8-sig")
        rows = [_strip_trailing_empty(r) for r in csv.reader(io.StringIO(text))]
        if rows[0][:1] != ["Data Source"] or rows[2][:1] != ["Last Updated Date"]:
            sys.exit(f"{path}: {members[0]} has no WDI preamble")
        if preamble is None:
            preamble, header = rows[:4], rows[4]
        elif rows[:5] != [*preamble, header]:
            sys.exit(f"{path}: preamble or header differs from the first zip")
        chosen = [r for r in rows[5:] if len(r) > 1 and r[1] in WDI_GEOS and r[3] == code]
        if len(chosen) != len(WDI_GEOS):
            sys.exit(f"{path}: found {len(chosen)} of the {len(WDI_GEOS)} economies")
        kept.extend(chosen)
        print(f"{sha256(path)}  {path.name}  ({members[0]})")
    out = raw / WDI_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in [*preamble, header, *kept]:  # type: ignore[misc]
        if row:
            writer.writerow(row)
        else:
            buffer.write("\n")
    out.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {out.relative_to(raw)} ({len(kept)} rows)")


def extract_sdg(source: Path, raw: Path) -> None:
    folder = source / "UNSD_SDG_ddf"
    (raw / SDG_DIR).mkdir(parents=True, exist_ok=True)
    for series in SDG_SERIES:
        (path,) = sorted(folder.glob(f"ddf--datapoints--{series}--by--*.csv"))
        lines = path.read_text(encoding="utf-8").splitlines()
        header = next(csv.reader([lines[0]]))
        if "counterpart" in header:
            column, wanted = header.index("counterpart"), {"mx"}
        else:
            geos = {"484"} if series in SDG_MEXICO_ONLY else set(SDG_GEOS)
            column, wanted = header.index("geo_area"), geos
        kept = [line for line in lines[1:] if next(csv.reader([line]))[column] in wanted]
        out = raw / SDG_DIR / f"{path.stem}--MEX_LAC_WLD.csv"
        out.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
        print(f"{sha256(path)}  {path.name}  -> {out.name} ({len(kept)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--raw", type=Path, default=Path("data/raw"))
    args = parser.parse_args()
    extract_wdi(args.source, args.raw)
    extract_sdg(args.source, args.raw)


if __name__ == "__main__":
    main()
