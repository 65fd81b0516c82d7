"""The package's layering: a module imports only from its own package or a lower layer, and
no two modules import each other (directly or through others).

Layers, bottom up (``errors`` and ``_version`` are base, importable by all)::

    schedules < study < models/data/pruning < engine < store < runs
              < oracle/fit/compare < analysis < report < cli

``oracle``, ``fit`` and ``compare`` share a layer: they may import each other as long as no
import cycle results. Every ``import``/``from ... import`` counts, including those inside
functions and ``if TYPE_CHECKING:`` blocks.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "scyc_tune"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

#: top-level subpackage (or module) -> layer; higher imports lower, never the reverse
LAYERS: dict[str, int] = {
    "errors": 0,
    "paths": 0,
    "_version": 0,
    "schedules": 1,
    "study": 2,
    "models": 3,
    "data": 3,
    "pruning": 3,
    "engine": 4,
    "store": 5,
    "runs": 6,
    "oracle": 7,
    "fit": 7,
    "compare": 7,
    "analysis": 8,
    "report": 9,
    "cli": 10,
    # the package's own entry points sit on top
    "__main__": 11,
    "": 11,  # scyc_tune/__init__.py
}
LAYER_NAMES = {v: k for k, v in LAYERS.items() if k not in ("", "__main__", "_version")}
LAYER_NAMES[0] = "base"
LAYER_NAMES[3] = "models/data/pruning"
LAYER_NAMES[7] = "oracle/fit/compare"
LAYER_NAMES[11] = "top"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import of a ``scyc_tune`` module in ``path``.

    ``from a.b import c`` is an import of ``a.b.c`` when that is a module, else of ``a.b``.
    Relative imports are resolved against the module's package.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    out.append((alias.name, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not (target == PACKAGE or target.startswith(PACKAGE + ".")):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.append((sub if sub in known else target, node.lineno))
    return out


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int:
    top = _top(module)
    assert top in LAYERS, f"{module}: top-level {top!r} has no layer; add it to LAYERS"
    return LAYERS[top]


def _graph() -> dict[str, dict[str, int]]:
    mods = _modules()
    known = set(mods)
    graph: dict[str, dict[str, int]] = {}
    for name, path in mods.items():
        edges: dict[str, int] = {}
        for target, line in _imports(name, path, known):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def _violations(graph: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    """(importer, message) for each import of a higher layer, or of a same-layer sibling
    package other than oracle/fit/compare."""
    out = []
    for src, edges in sorted(graph.items()):
        for dst, line in sorted(edges.items()):
            ls, ld = _layer(src), _layer(dst)
            if ld > ls:
                out.append(
                    (
                        src,
                        f"{src} imports {dst} (line {line}; layer {LAYER_NAMES[ld]} above "
                        f"{LAYER_NAMES[ls]})",
                    )
                )
            elif ld == ls and ls == 3 and _top(src) != _top(dst):
                out.append(
                    (
                        src,
                        f"{src} imports {dst} (line {line}; sibling packages of layer "
                        f"{LAYER_NAMES[ls]})",
                    )
                )
    return out


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    sccs: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    sccs.append(sorted(comp))
    return sorted(sccs)


def _describe_cycle(graph: dict[str, dict[str, int]], comp: list[str]) -> str:
    members = set(comp)
    lines = [f"cycle among {len(comp)} modules:"]
    for m in comp:
        for dst, line in sorted(graph[m].items()):
            if dst in members:
                lines.append(f"    {m} imports {dst} (line {line})")
    return "\n".join(lines)


def test_every_module_has_a_layer():
    for name in _modules():
        _layer(name)


def test_no_import_of_a_higher_layer():
    failing = [msg for _, msg in _violations(_graph())]
    assert not failing, f"{len(failing)} layer violation(s):\n  " + "\n  ".join(failing)


def test_no_import_cycles():
    graph = _graph()
    failing = _cycles(graph)
    assert not failing, f"{len(failing)} import cycle(s):\n" + "\n".join(
        _describe_cycle(graph, c) for c in failing
    )


def test_checker_sees_relative_and_nested_imports(tmp_path):
    """The parser resolves relative imports and finds imports inside functions and
    TYPE_CHECKING blocks."""
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import b\n"
        "from ..study import schema\n"
        "if TYPE_CHECKING:\n"
        "    from scyc_tune.report import x\n"
        "def f():\n"
        "    import scyc_tune.cli.main\n"
    )
    known = {"scyc_tune.fit.b", "scyc_tune.study.schema"}
    got = {t for t, _ in _imports("scyc_tune.fit.m", src, known)}
    assert got == {
        "scyc_tune.fit.b",
        "scyc_tune.study.schema",
        "scyc_tune.report",
        "scyc_tune.cli.main",
    }
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]
