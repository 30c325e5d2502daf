"""The layers of workflow/ and states/, each importing only what lies below it.

- the domain (workflow/domain/ and states/): neither web, database, use cases nor store;
- the store (workflow/store/): neither web nor use cases;
- nothing in workflow/ or states/: the web;
- nothing in workflow/: states/. The procedure is assembled from its stages outside
  workflow/ (`api/runtime.py`, the CLI, the tests) and handed in as `Environment.procedure`;
  what the use cases read of it (publicity states, the span of a publicity, probation
  states) they read from its declarations (`Procedure.publicity`, `.probation_states`).

Checked on the source with `ast` (every import statement, wherever it stands), and once at
run time in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The parts of workflow/ that are allowed to use the database: the use cases (working through
# the unit of work) and the store itself; workflow/domain/ and states/ are the domain.
STORAGE = {"workflow/store", "workflow/usecases"}
WEB = {"flask", "flask_smorest", "werkzeug", "api"}
DATABASE = {"sqlalchemy", "alembic", "psycopg", "psycopg2"}
# Importing these from the domain would bring the database in indirectly.
STORAGE_MODULES = {"workflow.store", "workflow.usecases"}


def _sources(*packages: str) -> list[Path]:
    found = sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))
    assert found, packages
    return found


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_storage(path: Path) -> bool:
    rel = _relative(path)
    return any(rel == s or rel.startswith(s + "/") for s in STORAGE)


def _imported_modules(source: str, rel: str) -> set[str]:
    """Absolute names of every module that an import in the source (at `rel`) names."""
    tree = ast.parse(source, filename=rel)
    package = rel.removesuffix(".py").split("/")
    if not rel.endswith("__init__.py"):
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            dynamic = (isinstance(func, ast.Name) and func.id == "__import__") or (
                isinstance(func, ast.Attribute) and func.attr == "import_module")
            if dynamic:
                names.add(str(node.args[0].value))
    return names


def _imports_of(path: Path) -> set[str]:
    return _imported_modules(path.read_text(encoding="utf-8"), _relative(path))


def _top(name: str) -> str:
    return name.split(".", 1)[0]


DOMAIN = [p for p in _sources("workflow", "states") if not _is_storage(p)]


STORE = _sources("workflow/store")


def test_the_domain_files_are_found():
    rel = {_relative(p) for p in DOMAIN}
    assert {"workflow/domain/machine.py", "workflow/domain/rules.py", "states/__init__.py",
            "states/vote.py"} <= rel
    assert not any(r.startswith("workflow/store/") for r in rel)
    assert "workflow/usecases/services.py" not in rel


def test_the_import_parser_sees_every_kind_of_import():
    source = (
        "import flask\n"
        "from sqlalchemy import select\n"
        "def f():\n"
        "    from flask import g\n"
        "    import importlib\n"
        "    importlib.import_module('psycopg')\n"
        "    return __import__('alembic')\n"
        "from . import store\n"
        "from .store.uow import UnitOfWork\n"
    )
    names = _imported_modules(source, "workflow/sample.py")
    assert {"flask", "sqlalchemy", "flask.g", "psycopg", "alembic", "workflow.store",
            "workflow.store.uow"} <= names


@pytest.mark.parametrize("path", DOMAIN, ids=_relative)
def test_the_domain_imports_neither_web_nor_database(path):
    names = _imports_of(path)
    bad = sorted(n for n in names if _top(n) in WEB | DATABASE)
    assert not bad, f"{_relative(path)} imports {bad}"
    indirect = _within(names, STORAGE_MODULES)
    assert not indirect, f"{_relative(path)} imports the storage layer: {indirect}"


def _within(names: set[str], modules: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == m or n.startswith(m + ".") for m in modules))


@pytest.mark.parametrize("path", STORE, ids=_relative)
def test_the_store_imports_neither_web_nor_use_cases(path):
    names = _imports_of(path)
    bad = sorted(n for n in names if _top(n) in WEB) + _within(names, {"workflow.usecases"})
    assert not bad, f"{_relative(path)} imports {bad}"


@pytest.mark.parametrize("path", _sources("workflow"), ids=_relative)
def test_nothing_in_workflow_imports_states(path):
    bad = sorted(n for n in _imports_of(path) if _top(n) == "states")
    assert not bad, f"{_relative(path)} imports {bad}: read the procedure's declarations"


@pytest.mark.parametrize("path", _sources("workflow", "states"), ids=_relative)
def test_nothing_in_workflow_or_states_imports_flask(path):
    names = _imports_of(path)
    bad = sorted(n for n in names if _top(n) in WEB)
    assert not bad, f"{_relative(path)} imports {bad}"


def test_importing_the_domain_loads_neither_flask_nor_sqlalchemy():
    modules = sorted(
        _relative(p).removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for p in DOMAIN
    )
    forbidden = sorted(WEB | DATABASE)
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded: {result.stdout.strip()}"
