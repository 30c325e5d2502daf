"""The layers hold: nothing under workflow/ or states/ imports Flask, and the domain modules
import no database code (the service modules and workflow/store/ may)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ("actors", "audit", "calendar", "dates", "dossier", "environment", "errors",
          "machine", "procedure", "roles", "rulebook", "rules")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("workflow", "states"), ids=lambda p: p.stem)
def test_no_flask_below_the_api(path):
    assert not {n for n in imports_of(path) if n.split(".")[0] in ("flask", "flask_smorest",
                                                                   "werkzeug", "api")}


@pytest.mark.parametrize("path", [*(ROOT / "workflow" / f"{m}.py" for m in DOMAIN),
                                  *modules("states")], ids=lambda p: p.stem)
def test_no_database_in_the_domain(path):
    assert not {n for n in imports_of(path)
                if n.split(".")[0] in ("sqlalchemy", "alembic", "psycopg")
                or n.startswith("workflow.store")}
