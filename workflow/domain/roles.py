"""Who may act: the roles of PROCEDURE.md."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    BRANCH = "branch"
    COMMITTEE = "committee"
    AUDITOR = "auditor"
    ADMIN = "admin"


BRANCH = frozenset({Role.BRANCH})
COMMITTEE = frozenset({Role.COMMITTEE})
BRANCH_OR_COMMITTEE = frozenset({Role.BRANCH, Role.COMMITTEE})
