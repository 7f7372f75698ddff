"""Routing speed: `PortNetwork.route` queries per second on the shipped network, and on an older
lanes file for a before/after line (issue 14: the bigger East Asia graph must stay fast).

    python benchmarks/bench_route.py                       # the shipped network
    python benchmarks/bench_route.py --lanes OLD.yaml      # also an older data/lanes.yaml, same ports
    git show 0d9d882:src/routesim/data/lanes.yaml > lanes_before.yaml   # the file before issue 14

Prints one line per network: nodes, lanes, start-up (build) seconds and queries/s over 2,000 random
port pairs (seed 1), half of them with a vessel size (the path a Plan compile takes): the median
of 3 passes with the min-max, the networks alternated pass by pass so that other load falls on
each alike; the commit and the load average are printed with the lines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import yaml

from _common import commit  # noqa: E402 (a sibling script module)
from routesim.catalogue import ports
from routesim.network import PortNetwork


def build(label: str, make) -> dict:
    t0 = time.perf_counter()
    net = make()
    start = time.perf_counter() - t0
    codes = sorted(net.ports)
    rng = np.random.default_rng(1)
    pairs = [tuple(rng.choice(codes, 2, replace=False)) for _ in range(2000)]
    return {"label": label, "net": net, "start": start, "pairs": pairs, "rates": []}


def one_pass(c: dict) -> None:
    t0 = time.perf_counter()
    for i, (a, b) in enumerate(c["pairs"]):
        c["net"].route(a, b, vessel_teu=14000 if i % 2 else None)
    c["rates"].append(len(c["pairs"]) / (time.perf_counter() - t0))


def line(c: dict) -> str:
    g, r = c["net"].graph, c["rates"]
    return (f"{c['label']:<10} {g.number_of_nodes():>5} nodes {g.number_of_edges():>5} lanes  start-up "
            f"{c['start']:5.2f} s  {statistics.median(r):8,.0f} queries/s ({min(r):,.0f}-{max(r):,.0f})")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--lanes", help="an older lanes.yaml to compare with")
    a = ap.parse_args()
    print(f"commit {commit()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cands = []
    if a.lanes:
        cands.append(build("before", lambda: PortNetwork(yaml.safe_load(open(a.lanes, encoding="utf-8")), ports())))
    cands.append(build("shipped", PortNetwork.default))
    for k in range(3):  # passes alternated
        for c in (cands if k % 2 == 0 else cands[::-1]):
            one_pass(c)
    for c in cands:
        print(line(c))
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
