"""Development aid (not shipped): a least-cost water path between two points on the shipped
50m coastline, simplified to a few via points whose great-circle pieces stay off land.

    python scripts/trace_lane.py LON1 LAT1 LON2 LAT2 [--step 0.02] [--pad 1.0] [--skip-nm 3]

Prints the via list for data/lanes.yaml and the length in nm. Used to draw the East Asia lanes
(issue 14) and the access lanes of the ports added with them.
"""

from __future__ import annotations

import argparse

import networkx as nx
import numpy as np

from routesim import coast, geo


def water_path(p, q, step=0.02, pad=1.0):
    lon0, lon1 = min(p[0], q[0]) - pad, max(p[0], q[0]) + pad
    lat0, lat1 = min(p[1], q[1]) - pad, max(p[1], q[1]) + pad
    xs, ys = np.arange(lon0, lon1 + step, step), np.arange(lat0, lat1 + step, step)
    gx, gy = np.meshgrid(xs, ys)
    wet = ~coast.on_land(gx.ravel(), gy.ravel()).reshape(gx.shape)
    g = nx.Graph()
    ny_, nx_ = wet.shape
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        for j in range(ny_ - dy):
            for i in range(max(0, -dx), min(nx_, nx_ - dx)):
                if wet[j, i] and wet[j + dy, i + dx]:
                    w = geo.haversine_nm(xs[i], ys[j], xs[i + dx], ys[j + dy])
                    g.add_edge((j, i), (j + dy, i + dx), weight=float(w))

    def nearest(pt):
        d = (gx - pt[0]) ** 2 + (gy - pt[1]) ** 2
        d[~wet] = np.inf
        j, i = np.unravel_index(np.argmin(d), d.shape)
        return (j, i)

    path = nx.dijkstra_path(g, nearest(p), nearest(q))
    return [p] + [(float(xs[i]), float(ys[j])) for j, i in path] + [q]


def simplify(pts, skip_nm=3.0):
    out, i = [pts[0]], 0
    while i < len(pts) - 1:
        j = len(pts) - 1
        while j > i + 1:
            lon, lat = np.array([pts[i], pts[j]]).T
            ss = skip_nm if i == 0 else 0.0
            se = skip_nm if j == len(pts) - 1 else 0.0
            if not coast.land_runs(lon, lat, ss, se):
                break
            j -= 1
        out.append(pts[j])
        i = j
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("coords", type=float, nargs=4)
    ap.add_argument("--step", type=float, default=0.02)
    ap.add_argument("--pad", type=float, default=1.0)
    ap.add_argument("--skip-nm", type=float, default=3.0)
    a = ap.parse_args()
    pts = simplify(water_path(tuple(a.coords[:2]), tuple(a.coords[2:]), a.step, a.pad), a.skip_nm)
    lon, lat = np.array(pts).T
    print("via:", [[round(x, 3), round(y, 3)] for x, y in pts[1:-1]])
    print("nm:", round(geo.polyline_length_nm(lon, lat), 1))
