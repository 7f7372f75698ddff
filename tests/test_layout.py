"""The package's layout: layers import only downwards and the engines read only the Plan.

The import graph is built from the source with :mod:`ast`, function-local imports included,
so a cycle cannot hide inside a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "routesim"
MAX_MODULE_LINES = 450
"""Modules stay small (the house rule says ~400 lines; this is the hard stop)."""


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """routesim modules ``name`` imports anywhere in its source (package re-exports of its own
    submodules excluded)."""
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join(pkg + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            if t in MODULES and t != name and not (is_pkg and t.startswith(name + ".")):
                found.add(t)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for name, path in MODULES.items():
        g.add_node(name)
        for target in _imports(name, path):
            g.add_edge(name, target)
    return g


def test_the_import_graph_has_no_cycle(graph):
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:5])


def test_the_graph_sees_function_local_imports(graph):
    """The check can fail: the plan compiler imports the network inside a function."""
    assert graph.has_edge("routesim.plan.compile", "routesim.network")


def test_engines_read_only_the_plan(graph):
    engines = [m for m in MODULES if m.startswith("routesim.engines.")]
    assert engines
    for m in engines:
        bad = [t for t in graph.successors(m)
               if t.split(".")[1] in ("scenario", "catalogue", "api", "cli", "sweeps")]
        assert not bad, f"{m} imports {bad}"
        tree = ast.parse(MODULES[m].read_text(encoding="utf-8"))
        reached = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "scenario"]
        assert not reached, f"{m} reaches plan.scenario at lines {reached}"


def test_results_import_no_engine(graph):
    results = [m for m in MODULES if m == "routesim.results" or m.startswith("routesim.results.")]
    for m in results:
        for t in nx.descendants(graph, m):
            assert not t.startswith(("routesim.engines.", "routesim.api")), f"{m} reaches {t}"


def test_modules_stay_small():
    big = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not big, big


def test_every_module_declares_its_public_names():
    missing = [m for m, p in MODULES.items()
               if p.name != "__main__.py" and "__all__" not in p.read_text(encoding="utf-8")]
    assert not missing, missing


MAX_FUNCTION_LINES = 60
"""Lines of code in one function (its docstring not counted) unless the docstring says why."""


def test_functions_stay_short_or_say_why():
    long = []
    for m, p in MODULES.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                doc = ast.get_docstring(node) or ""
                if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                    body = body[1:]
                if not body:
                    continue
                lines = body[-1].end_lineno - body[0].lineno + 1
                if lines > MAX_FUNCTION_LINES and "long because" not in doc.lower():
                    long.append(f"{m}.{node.name} ({lines} lines)")
    assert not long, long
