"""The navigation of the staff's interface, declared once: each page, its endpoint, who sees it.

A page whose endpoint is not registered (yet) is left out, so a page is added by registering
its view and listing it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from workflow.domain.roles import Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role]


NAV: tuple[NavItem, ...] = (
    NavItem("工作台", "web.home", EVERYONE),
    NavItem("发展名册", "web.dossiers", EVERYONE),
    NavItem("组织员待办", "web.queues", frozenset({Role.COMMITTEE})),
    NavItem("公示管理", "web.publicity", frozenset({Role.COMMITTEE, Role.ADMIN})),
    NavItem("议程", "web.agenda", frozenset({Role.BRANCH, Role.COMMITTEE, Role.AUDITOR})),
    NavItem("统计", "web.stats", frozenset({Role.BRANCH, Role.COMMITTEE, Role.AUDITOR})),
    NavItem("审计", "web.audit", frozenset({Role.AUDITOR, Role.ADMIN})),
    NavItem("管理", "web.admin", frozenset({Role.ADMIN})),
)


def nav_for(role: Role) -> list[NavItem]:
    views = current_app.view_functions
    return [item for item in NAV if role in item.roles and item.endpoint in views]
