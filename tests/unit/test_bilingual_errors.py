"""Every refusal the code raises says itself in both languages: a plain English string given
to a domain error (or as a field's message of `Invalid`) would reach a Chinese user in
English. Checked on the source, wherever such an error is raised."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for package in ("workflow", "states", "api")
                 for p in (ROOT / package).rglob("*.py"))
TEXT_ERRORS = {"NotFound", "Forbidden", "Conflict", "DomainError"}


def _plain_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def _english_only(tree: ast.AST) -> list[int]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name, args = node.func.id, node.args
        if name in TEXT_ERRORS and args and _plain_text(args[0]):
            found.append(node.lineno)
        if name == "Invalid" and args and isinstance(args[0], ast.Dict | ast.DictComp):
            values = (args[0].values if isinstance(args[0], ast.Dict) else [args[0].value])
            found += [node.lineno for v in values if _plain_text(v)]
    return found


def test_the_check_sees_plain_strings():
    source = ("raise NotFound('no dossier')\n"
              "raise Invalid({'x': f'bad {y}'})\n"
              "raise Invalid({k: 'unknown' for k in z})\n"
              "raise NotFound(Message('no', '没有'))\n"
              "raise Invalid({'x': Message('a', '甲')})\n")
    assert _english_only(ast.parse(source)) == [1, 2, 3]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_refusal_carries_its_chinese(path):
    lines = _english_only(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{path.relative_to(ROOT)}: English only at lines {lines} (use Message)"
