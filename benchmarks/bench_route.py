"""Routing speed: `PortNetwork.route` queries per second on the shipped network, and on an older
lanes file for a before/after line (issue 14: the bigger East Asia graph must stay fast).

    python benchmarks/bench_route.py                       # the shipped network
    python benchmarks/bench_route.py --lanes OLD.yaml      # also an older data/lanes.yaml, same ports
    git show 0d9d882:src/routesim/data/lanes.yaml > lanes_before.yaml   # the file before issue 14

Prints one line per network: nodes, lanes, start-up (build) seconds and queries/s over 2,000 random
port pairs (seed 1), half of them with a vessel size (the path a Plan compile takes), median of 3.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import yaml

from routesim.catalogue import ports
from routesim.network import PortNetwork


def measure(label: str, build, n: int = 2000) -> str:
    t0 = time.perf_counter()
    net = build()
    start = time.perf_counter() - t0
    codes = sorted(net.ports)
    rng = np.random.default_rng(1)
    pairs = [tuple(rng.choice(codes, 2, replace=False)) for _ in range(n)]
    rates = []
    for _ in range(3):
        t0 = time.perf_counter()
        for i, (a, b) in enumerate(pairs):
            net.route(a, b, vessel_teu=14000 if i % 2 else None)
        rates.append(n / (time.perf_counter() - t0))
    g = net.graph
    return (f"{label:<10} {g.number_of_nodes():>5} nodes {g.number_of_edges():>5} lanes  start-up {start:5.2f} s  "
            f"{statistics.median(rates):8,.0f} queries/s")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--lanes", help="an older lanes.yaml to compare with")
    a = ap.parse_args()
    if a.lanes:
        print(measure("before", lambda: PortNetwork(yaml.safe_load(open(a.lanes, encoding="utf-8")), ports())))
    print(measure("shipped", lambda: PortNetwork.default()))
