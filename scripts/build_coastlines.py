"""Build ``src/routesim/data/land_50m.npz`` (the shipped coastline) from Natural Earth via world-atlas.

Source: the npm package ``world-atlas`` 2.0.2 (https://github.com/topojson/world-atlas, ISC licence,
Copyright 2013-2019 Michael Bostock), file ``land-50m.json``: TopoJSON of the Natural Earth 4.1.0
1:50m physical land polygons (https://www.naturalearthdata.com/downloads/50m-physical-vectors/).
Natural Earth data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).

Run once, by hand, when the coastline is to be rebuilt (nothing is downloaded at run time)::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python /path/to/routesim/scripts/build_coastlines.py package/land-50m.json

Output (numpy ``savez_compressed``): the TopoJSON arcs decoded into closed rings, kept in the
TopoJSON quantization (integers; lon = x * scale[0] + translate[0], lat likewise):

- ``xy``      int32 (n, 2) ring vertices, all rings one after the other
- ``ring``    int64 (r + 1,) start of each ring in ``xy`` (last entry = n)
- ``polygon`` int64 (p + 1,) start of each polygon in the ring list (its first ring is the
              exterior, the others holes)
- ``scale``, ``translate`` float64 (2,)
- ``source``  str, the provenance above

Rings that cross the antimeridian twice are made continuous (longitudes may pass 180 or -180);
``routesim.coast`` adds their copy shifted by 360 degrees and clips both to [-180, 180].
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

SOURCE = ("Natural Earth 4.1.0 1:50m land (public domain, naturalearthdata.com) via npm world-atlas 2.0.2 "
          "land-50m.json (ISC, Mike Bostock); built by scripts/build_coastlines.py")
OUT = Path(__file__).resolve().parents[1] / "src" / "routesim" / "data" / "land_50m.npz"


def decode_arcs(arcs: list) -> list[np.ndarray]:
    """Delta-decoded, still quantized, arcs."""
    return [np.cumsum(np.asarray(a, dtype=np.int64)[:, :2], axis=0) for a in arcs]


def ring_points(ring: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """The closed ring made of arc indices ``ring`` (``~i`` = arc i reversed)."""
    parts = []
    for k, i in enumerate(ring):
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(a if k == 0 else a[1:])
    return np.concatenate(parts)


def unwrap_ring(pts: np.ndarray, full_turn: int) -> np.ndarray:
    """A ring that crosses the antimeridian twice (Chukotka, Wrangel Island, a sliver of Fiji) made
    continuous in longitude, so that it does not span the globe when read as a planar polygon;
    rings round the pole (Antarctica, one crossing) are left as they are."""
    jumps = np.diff(pts[:, 0])
    if np.count_nonzero(np.abs(jumps) > full_turn // 2) != 2:
        return pts
    shift = np.concatenate([[0], -np.sign(jumps) * (np.abs(jumps) > full_turn // 2)]).cumsum() * full_turn
    out = pts.copy()
    out[:, 0] += shift
    return out


def build(src: Path, out: Path = OUT) -> dict:
    topo = json.loads(src.read_text())
    arcs = decode_arcs(topo["arcs"])
    t = topo["transform"]
    full_turn = int(round(360 / t["scale"][0]))
    xy, ring_start, poly_start = [], [0], [0]
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            for ring in poly:
                pts = unwrap_ring(ring_points(ring, arcs), full_turn)
                xy.append(pts)
                ring_start.append(ring_start[-1] + len(pts))
            poly_start.append(len(ring_start) - 1)
    np.savez_compressed(
        out, xy=np.concatenate(xy).astype(np.int32), ring=np.asarray(ring_start), polygon=np.asarray(poly_start),
        scale=np.asarray(t["scale"], float), translate=np.asarray(t["translate"], float), source=np.asarray(SOURCE),
    )
    return {"polygons": len(poly_start) - 1, "rings": len(ring_start) - 1, "points": ring_start[-1]}


if __name__ == "__main__":
    print(build(Path(sys.argv[1])), "->", OUT)
