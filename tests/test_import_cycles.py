"""spelltune's modules import one another without cycles, counting the imports inside functions too.

A function-level import hides a cycle from Python (nothing fails at import time) but not from a reader: the
two modules still depend on each other. The graph is read from the source with `ast`: every `import` and
`from ... import` anywhere in a module (and `importlib.import_module` of a literal name), resolved to the
spelltune module it loads. An import of `spelltune.a.b` counts as an edge to `spelltune.a.b` only, not to
the package `spelltune.a` whose `__init__` Python also runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import spelltune

PACKAGE_ROOT = Path(spelltune.__file__).parent

# Cycles left in on purpose: frozenset of the modules of the cycle -> why it stays. Keep it empty unless a
# cycle cannot be broken without making the code worse, and say why here.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}


def module_name(path: Path, root: Path = PACKAGE_ROOT) -> str:
    """The dotted name of the module at `path` in the package at `root` (a package is its `__init__`)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name."""
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _imported_modules(tree: ast.AST, importer: str, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `tree` imports anywhere, relative imports made absolute.

    `from a import b` imports the module `a.b` when there is one, else the module `a` (b is a name in it).
    """
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_resolve(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = importer.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else _resolve(base, modules))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(_resolve(node.args[0].value, modules))
    return {name for name in found if name is not None}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` loads: itself, or the longest module it starts with (`a.b.function` -> `a.b`)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(root: Path = PACKAGE_ROOT) -> dict[str, set[str]]:
    """Module -> the other modules of the package it imports anywhere in its source."""
    modules = package_modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imported = _imported_modules(tree, name, path.name == "__init__.py", modules)
        graph[name] = imported - {name}
    return graph


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that all reach one another (Tarjan's algorithm), each sorted, largest first."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                lowlink[node] = min(lowlink[node], lowlink[successor])
            elif successor in on_stack:
                lowlink[node] = min(lowlink[node], index[successor])
        if lowlink[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components, key=lambda component: (-len(component), component))


def one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest import cycle through the first module of `component` (a strongly connected group)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & members):
                if successor == start:
                    return paths[node] + [start]
                if successor not in paths:
                    paths[successor] = paths[node] + [successor]
                    following.append(successor)
        frontier = following
    return [start]


def import_cycles(graph: dict[str, set[str]]) -> dict[frozenset[str], list[str]]:
    """Each group of modules that import one another -> one cycle through it (ending where it began)."""
    return {frozenset(component): one_cycle(graph, component)
            for component in strongly_connected_components(graph) if len(component) > 1}


def test_finds_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "low.py").write_text("import os\n")
    (package / "a.py").write_text("from pkg.sub import b\nfrom pkg.low import thing\n")
    (package / "sub" / "b.py").write_text("def later():\n    from .c import helper\n")
    (package / "sub" / "c.py").write_text("import importlib\n\ndef f():\n    importlib.import_module('pkg.a')\n")

    graph = import_graph(package)

    assert graph["pkg.a"] == {"pkg.sub.b", "pkg.low"}
    assert graph["pkg.sub.b"] == {"pkg.sub.c"}
    assert list(import_cycles(graph).values()) == [["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]]


def describe_cycle(members: frozenset[str], cycle: list[str]) -> str:
    """One line for a report: the cycle, and the whole group when the group is larger."""
    line = " -> ".join(cycle)
    if len(members) > len(cycle) - 1:
        line += f"  (in a group of {len(members)}: {', '.join(sorted(members))})"
    return line


def test_spelltune_has_no_import_cycles():
    graph = import_graph()
    assert "spelltune.correct.confusion" in graph["spelltune.correct.guard"]  # the graph sees real imports
    cycles = import_cycles(graph)
    unexplained = [describe_cycle(members, cycle) for members, cycle in cycles.items() if members not in ALLOWED_CYCLES]
    assert not unexplained, "import cycles (move the shared piece into a lower module):\n" + "\n".join(unexplained)
    stale = [sorted(members) for members in ALLOWED_CYCLES if members not in cycles]
    assert not stale, f"allowed cycles that no longer exist (remove them from ALLOWED_CYCLES): {stale}"
