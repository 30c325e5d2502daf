"""The reads a user needs to find their way: who am I, the organisations and the member
registry of my scope (a member's id is what a contact or sponsor record names)."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.domain.actors import Actor
from workflow.domain.errors import Message, NotFound
from workflow.store.directory import Directory, MemberRow, tree_order
from workflow.store.organizations import CONTACT_FIELDS, ObjectionContact
from workflow.store.repository import Organization
from workflow.store.uow import UnitOfWork


@dataclass(frozen=True)
class Me:
    actor: Actor
    organization: Organization | None


def me(*, uow: UnitOfWork, actor: Actor) -> Me:
    with uow.transaction() as tx:
        organization = (tx.repo.organization(actor.organization_id)
                        if actor.organization_id is not None else None)
    return Me(actor, organization)


@dataclass(frozen=True)
class OrganizationNode:
    contact: ObjectionContact
    # Depth below the caller's own organisation (0 for it; 1 for a whole-tree admin's tops).
    level: int


def _node(row, root_depth: int) -> OrganizationNode:
    contact = ObjectionContact(row.id, row.name, row.kind, row.parent_id, row.path,
                               *(row._mapping[f] for f in CONTACT_FIELDS))
    return OrganizationNode(contact, len(tree_order(row.path)) - root_depth)


def organizations(*, uow: UnitOfWork, actor: Actor) -> list[OrganizationNode]:
    """The organisations of the caller's scope, in tree order (each before those under it)."""
    with uow.transaction() as tx:
        rows = Directory(tx.repo.connection).organizations_under(actor.organization_path)
    root_depth = len(tree_order(actor.organization_path))
    return [_node(row, root_depth) for row in rows]


def organization(*, uow: UnitOfWork, actor: Actor, organization_id: int) -> OrganizationNode:
    nodes = {n.contact.id: n for n in organizations(uow=uow, actor=actor)}
    if organization_id not in nodes:
        # Outside the scope an organisation does not exist, as a dossier does not.
        raise NotFound(Message(f"no organisation {organization_id} in your scope",
                               f"您的管辖范围内没有编号为{organization_id}的组织"))
    return nodes[organization_id]


def members(*, uow: UnitOfWork, actor: Actor, branch_id: int | None = None,
            status: str | None = None, q: str | None = None, page: int = 1,
            per_page: int = 20) -> tuple[list[MemberRow], int]:
    """The member registry of the caller's scope, by id."""
    with uow.transaction() as tx:
        return Directory(tx.repo.connection).members(
            scope_path=actor.organization_path, branch_id=branch_id, status=status, q=q,
            page=page, per_page=per_page)


def holds_data(*, uow: UnitOfWork) -> bool:
    with uow.transaction() as tx:
        return Directory(tx.repo.connection).holds_data()
