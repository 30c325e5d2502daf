"""The public face of publicity (公示): the notice board, grouped by committee, and the
committee's objection contact that the board and the printed notice show.

Only what PROCEDURE.md allows the public to see leaves this module: a notice's name, gender,
birth month, branch, kind and dates, and the committee's contact; never an ID number, an
address or a record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Invalid, Message, NotFound, role_may_not
from workflow.domain.roles import Role
from workflow.store.organizations import CONTACT_FIELDS, ObjectionContact, OrganizationContacts
from workflow.store.uow import UnitOfWork
from workflow.usecases import services
from workflow.usecases.services import Notice


@dataclass(frozen=True)
class CommitteeBoard:
    committee: ObjectionContact
    notices: list[Notice]

    def of_kind(self, kind: str) -> list[Notice]:
        return [n for n in self.notices if n.kind == kind]


@dataclass(frozen=True)
class Board:
    today: date
    groups: list[CommitteeBoard]
    # Every committee with a notice in progress, for the filter (whatever the filter is).
    committees: list[ObjectionContact]

    @property
    def warnings(self) -> list[str]:
        found = {n.span.warning for g in self.groups for n in g.notices if n.span.warning}
        return sorted(found)


def public_committee(*, uow: UnitOfWork, committee_id: int) -> ObjectionContact:
    """A committee the public may ask about (404 for anything else: a filter of the board
    naming no committee is a wrong address, not an empty board)."""
    with uow.transaction() as tx:
        found = OrganizationContacts(tx.repo.connection).get(committee_id)
    if found is None or found.kind != "committee":
        raise NotFound(Message(f"no committee {committee_id}", f"没有编号为{committee_id}的党委"))
    return found


def board(*, uow: UnitOfWork, env: Environment, committee_id: int | None = None) -> Board:
    if committee_id is not None:
        public_committee(uow=uow, committee_id=committee_id)
    notices = services.publicity_notices(uow=uow, env=env)
    with uow.transaction() as tx:
        committees = OrganizationContacts(tx.repo.connection).many(
            n.committee_id for n in notices if n.committee_id is not None)
    groups = []
    for committee in sorted(committees.values(), key=lambda c: c.id):
        if committee_id is not None and committee.id != committee_id:
            continue
        mine = [n for n in notices if n.committee_id == committee.id]
        groups.append(CommitteeBoard(committee, mine))
    return Board(env.today(), groups, sorted(committees.values(), key=lambda c: c.id))


def set_objection_contact(*, uow: UnitOfWork, actor: Actor, organization_id: int,
                          values: Mapping[str, str | None]) -> ObjectionContact:
    """Admin: where the public raises objections to the publicities of a committee."""
    if actor.role != Role.ADMIN:
        raise Forbidden(role_may_not(actor.role))
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise Invalid({k: Message("unknown field", "未知字段") for k in sorted(unknown)})
    with uow.transaction(write=True) as tx:
        store = OrganizationContacts(tx.repo.connection)
        organization = store.get(organization_id)
        if organization is None or not actor.covers(organization.path):
            raise NotFound(Message(f"no organisation {organization_id}",
                                   f"没有编号为{organization_id}的组织"))
        if organization.kind != "committee" and any(values.values()):
            raise Invalid({"kind": Message(
                "objections go to a committee: set its contact, not a branch's",
                "意见向党委反映：请设置党委的联系方式，而不是党支部的")})
        store.set_contact(organization_id, values)
        updated = store.get(organization_id)
        tx.commit()
    return updated
