"""The project's documents stand on their own: every link of the README and of docs/ leads
to a file (and heading) of the repository, none outside it; the README keeps the two
commands that CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "bench" / "README.md",
             *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)|<img[^>]*\ssrc=\"([^\"]+)\"|<(https?://[^>]+)>")


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(m[1]) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [next(g for g in m.groups() if g) for m in LINK.finditer(text)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_in_the_repository_and_resolves(document):
    links = _links(document)
    for link in links:
        assert not re.match(r"[a-z]+:", link), f"{link} leaves the repository"
        target, _, anchor = link.partition("#")
        path = (document.parent / target).resolve() if target else document
        assert path.is_relative_to(ROOT), f"{link} leaves the repository"
        assert path.exists(), f"{link}: no such file"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{link}: no such heading"


def test_the_slug_of_a_heading():
    assert _slug("The publicity page (公示)") == "the-publicity-page-公示"
    assert _slug("Working days and next year's holiday table") == \
        "working-days-and-next-years-holiday-table"


def test_the_readme_keeps_the_two_commands_ci_runs():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert ('python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && '
            ".venv/bin/recruitflow serve") in lines
    assert ".venv/bin/pytest" in lines


def test_the_readme_links_the_documents():
    links = set(_links(ROOT / "README.md"))
    assert {"docs/API.md", "docs/RULES.md", "docs/AUDIT.md", "docs/GUIDE.md",
            "bench/README.md"} <= links
