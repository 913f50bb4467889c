"""Simplify INEGI's state boundaries (GeoJSON, CRS84) for choropleth maps, with the standard library.

Each ring is simplified by Douglas-Peucker with a fixed tolerance in degrees (perpendicular
distance in longitude/latitude; 0.01 degree is about 1.1 km), keeping its first and last point;
a ring left with fewer than 4 points (a small island) keeps its original points, so no state or
island disappears. Coordinates are rounded to 4 decimals (about 11 m). Properties kept: CVE_ENT,
NOM_ENT. The tolerance, the source's sha256 and the point counts are written into the output's
"x-simplification" member, so the file records what was done to it.

    python scripts/simplify_states.py SOURCE.geojson data/raw/inegi/estados_simplificado.geojson [TOLERANCE]
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

DEFAULT_TOLERANCE = 0.01
DECIMALS = 4

Point = tuple[float, float]


def _distance(point: Point, start: Point, end: Point) -> float:
    """Perpendicular distance from `point` to the segment start-end (degrees)."""
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker simplification of a polyline (iterative, so long rings do not recurse)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, first
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    points = [(float(x), float(y)) for x, y, *_ in ring]
    simplified = douglas_peucker(points, tolerance)
    if len(simplified) < 4:  # too few for a closed ring: keep the original small ring
        simplified = points
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in simplified]


def simplify(collection: dict, tolerance: float) -> tuple[dict, int, int]:
    features, before, after = [], 0, 0
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        new = []
        for polygon in polygons:
            rings = [simplify_ring(ring, tolerance) for ring in polygon]
            before += sum(len(r) for r in polygon)
            after += sum(len(r) for r in rings)
            new.append(rings)
        properties = {k: feature["properties"][k] for k in ("CVE_ENT", "NOM_ENT")}
        shape = {"type": "MultiPolygon", "coordinates": new}
        features.append({"type": "Feature", "properties": properties, "geometry": shape})
    features.sort(key=lambda f: f["properties"]["CVE_ENT"])
    out = {"type": "FeatureCollection", "crs": collection.get("crs"), "features": features}
    return out, before, after


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    tolerance = float(argv[2]) if len(argv) == 3 else DEFAULT_TOLERANCE
    data = source.read_bytes()
    collection = json.loads(data)
    out, before, after = simplify(collection, tolerance)
    out["x-simplification"] = {
        "method": "Douglas-Peucker per ring (scripts/simplify_states.py), rings under 4 points kept",
        "tolerance_degrees": tolerance,
        "coordinate_decimals": DECIMALS,
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "points_before": before,
        "points_after": after,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(
        f"{len(out['features'])} states, {before} -> {after} points, tolerance {tolerance} degrees"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
