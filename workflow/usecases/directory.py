"""The reads a user needs to find their way: who am I, the organisations and the member
registry of my scope (a member's id is what a contact or sponsor record names)."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow.domain.actors import Actor
from workflow.domain.errors import Forbidden, Message, NotFound, role_may_not
from workflow.domain.roles import Role
from workflow.store.directory import Directory, MemberRow, tree_order
from workflow.store.organizations import CONTACT_FIELDS, ObjectionContact, OrganizationContacts
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


# The admin's view of their subtree: its organisations as a tree, its users, its registry.
MAX_PAGE = 100


@dataclass
class Node:
    organization: ObjectionContact
    children: list[Node] = field(default_factory=list)


def _admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(role_may_not(actor.role))


def admin_organizations(*, uow: UnitOfWork, actor: Actor) -> list[ObjectionContact]:
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


def registry(*, uow: UnitOfWork, actor: Actor, q: str | None = None, page: int = 1,
             per_page: int = 50) -> tuple[list[MemberRow], int]:
    """A page of the member registry in the admin's scope."""
    _admin(actor)
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PAGE)
    with uow.transaction() as tx:
        return Directory(tx.repo.connection).members(
            scope_path=actor.organization_path, branch_id=None, status=None, q=q, page=page,
            per_page=per_page)


def branches(*, uow: UnitOfWork, actor: Actor) -> list[ObjectionContact]:
    """The branches in the actor's scope (any role), for a page's branch filter."""
    with uow.transaction() as tx:
        found = OrganizationContacts(tx.repo.connection).subtree(actor.organization_path)
    return [o for o in found if o.kind == "branch"]
