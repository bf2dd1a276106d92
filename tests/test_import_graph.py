"""The apps' module-level imports form no circle: every module of units/ and certification/
imports at load time, without inline imports hiding a cycle."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("units", "certification")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _load_time_statements(body: list[ast.stmt]):
    """The statements run when the module loads: the top level and the blocks of its `if`, `try`
    and `with`, but not function bodies, class bodies' methods or `if TYPE_CHECKING:`."""
    for node in body:
        if _is_type_checking(node):
            continue
        yield node
        if isinstance(node, ast.ClassDef):
            yield from _load_time_statements(node.body)
        for field in ("body", "orelse", "finalbody", "handlers"):
            if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                yield from _load_time_statements(getattr(node, field, []))


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports when it loads."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _load_time_statements(ast.parse(path.read_text()).body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    modules = app_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> list[str] | None:
        if node in stack:
            return [*stack[stack.index(node) :], node]
        if node in done:
            return None
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, stack)
            if cycle:
                return cycle
        stack.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_find_cycle_reports_a_circle_and_accepts_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_import_graph_sees_the_module_level_imports_only(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from units import models\n"
        "import units.choices\n"
        "if TYPE_CHECKING:\n"
        "    from units import admin\n"
        "def later():\n"
        "    from units import views\n"
    )
    known = {"units", "units.models", "units.choices", "units.admin", "units.views"}
    assert imported_modules("units.mod", source, known) == {"units.models", "units.choices"}


def test_the_apps_import_graph_has_no_cycle():
    graph = import_graph()
    assert "units.jurisdiction" in graph["units.models.areas"]  # the graph sees real imports
    assert find_cycle(graph) is None


@pytest.mark.parametrize("name", sorted(app_modules()))
def test_every_module_of_the_apps_imports(name):
    importlib.import_module(name)


def all_imports(path: Path) -> set[str]:
    """Every module a file names in an import statement, at any depth (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module or "")
    return found


def test_units_never_imports_certification():
    offenders = {
        f"{name}: {module}"
        for name, path in app_modules().items()
        if name.split(".")[0] == "units"
        for module in all_imports(path)
        if module.split(".")[0] == "certification"
    }
    assert offenders == set()


def test_test_modules_share_builders_not_each_other():
    """Tests import shared builders and scenes (tests/builders.py, *_scene.py, factories, world…),
    never a test module or a conftest: a fixture moved or renamed in one test file must not break
    another."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            for name in imported:
                if not name.startswith("tests."):
                    continue
                last = name.rsplit(".", 1)[-1]
                if last.startswith("test_") or last == "conftest":
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
