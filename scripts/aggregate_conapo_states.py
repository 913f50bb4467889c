"""Sum CONAPO's municipal population (1990-2040) to states and the nation, as a long CSV.

The municipal file (CVE = 5-digit INEGI municipality key, Entidad, Municipio, one column per year)
is too large to keep whole in data/raw; state totals are all the project uses (per-person GDP and
remittances by state). Each state is the sum of the municipalities whose key starts with its
two-digit code; the nation ('00') is the sum of all municipalities. Integers are summed exactly;
a non-integer or empty cell stops the script naming the row and column. Nothing else is changed.

    python scripts/aggregate_conapo_states.py SOURCE.csv data/raw/conapo/poblacion_entidades_1990_2040.csv

prints the source's sha256, its row count and the filter, for the resource's x-provenance.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path


def aggregate(source: Path) -> tuple[list[list[str]], int]:
    """State and national totals by year, and the number of municipal rows summed."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        years = [f for f in reader.fieldnames or [] if re.fullmatch(r"\d{4}", f)]
        totals: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {"00": "Estados Unidos Mexicanos"}
        count = 0
        for line, row in enumerate(reader, start=2):
            key = row["CVE"].strip()
            if not re.fullmatch(r"\d{5}", key):
                sys.exit(f"{source}: row {line}, field 'CVE': '{key}' is not a 5-digit key")
            state = key[:2]
            names.setdefault(state, row["Entidad"].strip())
            for year in years:
                text = row[year].strip()
                if not text.isdigit():
                    sys.exit(f"{source}: row {line}, field '{year}': '{text}' is not an integer")
                for code in (state, "00"):
                    totals.setdefault(code, {}).setdefault(year, 0)
                    totals[code][year] += int(text)
            count += 1
    rows = [
        [code, names[code], year, str(totals[code][year])]
        for code in sorted(totals)
        for year in years
    ]
    return rows, count


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    rows, count = aggregate(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cve_ent", "entidad", "anio", "poblacion"])
        writer.writerows(rows)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    print(
        f"source sha256 {digest}, {count} municipal rows; summed by the first two digits of CVE "
        f"(states 01-32) and over all rows (00 = national); {len(rows)} rows written to "
        f"{target.name}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
