"""The import rules between NewsQA's packages, so that the layering stays readable.

From the bottom up::

    vectorstore   storage: embeddings, Chroma, BM25, the story table
    rag           the pipeline, the public API, the CLI
    eval, ui      the evaluation harness; the chat app (neither imports the other)
    benchmarks    speed measurements (may use eval, not ui)

A package imports only from the layers below it. The one exception: ``rag/cli.py`` runs
the sub-commands of the upper layers (``newsqa eval``, ``chat``, ``bench``, ...), and
imports them inside those commands, never at module level. Checked on the source (every
``import``, also inside functions), so a lazy import elsewhere in ``rag`` counts too.

No two modules import each other, directly or round a circle, lazily or not (inside one
folder as across folders), and no module imports the CLI: an arrow points one way.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vectorstore", "rag", "eval", "ui", "benchmarks")
MAY_IMPORT: dict[str, set[str]] = {
    "vectorstore": set(),
    "rag": {"vectorstore"},
    "eval": {"rag", "vectorstore"},
    "ui": {"rag", "vectorstore"},
    "benchmarks": {"eval", "rag", "vectorstore"},
}
LAZY_UPPER_IMPORTS = {"rag/cli.py": {"eval", "ui", "benchmarks"}}


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level package, line, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module_level = {id(node) for node in tree.body}
    # Imports under ``if TYPE_CHECKING:`` at module level are for the type checker only.
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            module_level.difference_update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            found.append((name.split(".")[0], node.lineno, id(node) in module_level))
    return found


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_the_rules_cover_every_package_file() -> None:
    assert len(_sources()) > 50


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    layer = rel.split("/")[0]
    allowed = MAY_IMPORT[layer] | {layer}
    lazy_ok = LAZY_UPPER_IMPORTS.get(rel, set())
    wrong = []
    for package, line, at_module_level in _imports(path):
        if package not in PACKAGES or package in allowed:
            continue
        if package in lazy_ok and not at_module_level:
            continue
        where = "at module level" if at_module_level else "inside a function"
        wrong.append(f"{rel}:{line} imports {package} ({where})")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_cli_loads_no_upper_layer_until_a_sub_command_needs_it() -> None:
    code = (
        "import sys, rag, rag.cli, rag.errors, rag.types; "
        "rag.cli.build_parser(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'eval', 'ui', 'benchmarks'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_errors_and_passages_are_the_same_classes_in_both_layers() -> None:
    import rag.errors
    import rag.types
    import vectorstore.errors
    import vectorstore.types

    assert rag.types.Passage is vectorstore.types.Passage
    for name in ("NewsQAError", "ConfigError", "StoreError", "ModelError", "IndexBusyError"):
        assert getattr(rag.errors, name) is getattr(vectorstore.errors, name)
    assert issubclass(rag.errors.InputError, vectorstore.errors.NewsQAError)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (any import, at module level or not).

    ``from pkg import sub`` points at ``pkg.sub`` when that is a module, else at ``pkg``;
    ``import a.b.c`` at the longest project module it names.
    """
    files = {_module_name(p): p for p in _sources()}

    def known(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in files}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [t for t in subs if t in files]
                if len(targets) < len(subs):
                    targets.append(base)
            for target in targets:
                found = known(target)
                if found and found != module:
                    graph[module].add(found)
    return graph


def _circles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(v: str) -> Iterator[list[str]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                yield sorted(component)

    for v in sorted(graph):
        if v not in index:
            yield from visit(v)


def test_no_import_circles_between_modules() -> None:
    graph = _module_graph()
    assert len(graph) > 50 and sum(map(len, graph.values())) > 100  # the graph is real
    circles = list(_circles(graph))
    assert circles == [], "modules that import each other: " + "; ".join(map(str, circles))


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert list(_circles(graph)) == [["a.x", "a.y", "a.z"]]
    assert list(_circles({"a.x": {"a.y"}, "a.y": set()})) == []


def test_nothing_imports_the_cli() -> None:
    graph = _module_graph()
    assert sorted(m for m, targets in graph.items() if "rag.cli" in targets) == []
