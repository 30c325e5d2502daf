"""The admin's view of their subtree: its organisations as a tree, its users, its registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow.domain.actors import Actor
from workflow.domain.errors import Forbidden
from workflow.domain.roles import Role
from workflow.store.directory import Directory, MemberRow, UserRow
from workflow.store.organizations import ObjectionContact, OrganizationContacts
from workflow.store.uow import UnitOfWork

MAX_PAGE = 100


@dataclass
class Node:
    organization: ObjectionContact
    children: list[Node] = field(default_factory=list)


def _admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(f"the {actor.role} role may not do this")


def organizations(*, uow: UnitOfWork, actor: Actor) -> list[ObjectionContact]:
    """Every organisation in the admin's scope, parents before children."""
    _admin(actor)
    with uow.transaction() as tx:
        return OrganizationContacts(tx.repo.connection).subtree(actor.organization_path)


def tree(found: list[ObjectionContact]) -> list[Node]:
    """The organisations as a forest: those whose parent is not among them are its roots."""
    nodes = {o.id: Node(o) for o in found}
    roots = []
    for o in found:  # parents come first: their paths are prefixes of their children's
        parent = nodes.get(o.parent_id) if o.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[o.id])
    return roots


def users(*, uow: UnitOfWork, actor: Actor) -> list[UserRow]:
    _admin(actor)
    with uow.transaction() as tx:
        return Directory(tx.repo.connection).users(actor.organization_path)


def registry(*, uow: UnitOfWork, actor: Actor, q: str | None = None, page: int = 1,
             per_page: int = 50) -> tuple[list[MemberRow], int]:
    """A page of the member registry in the admin's scope."""
    _admin(actor)
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PAGE)
    with uow.transaction() as tx:
        return Directory(tx.repo.connection).members(actor.organization_path, q=q, page=page,
                                                     per_page=per_page)


def branches(*, uow: UnitOfWork, actor: Actor) -> list[ObjectionContact]:
    """The branches in the actor's scope (any role), for a page's branch filter."""
    with uow.transaction() as tx:
        found = OrganizationContacts(tx.repo.connection).subtree(actor.organization_path)
    return [o for o in found if o.kind == "branch"]
