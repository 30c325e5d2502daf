"""The committee's publicity desk (公示管理): its publicities in progress and elapsed, each
with the objections raised and their resolutions, and its committees' objection contacts.

The same definitions as the guards and the statistics: the span of a publicity and the
objections of the current one come from the procedure's declaration of its publicities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow.domain.actors import Actor
from workflow.domain.calendar import WorkingDaySpan
from workflow.domain.dossier import Record
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, role_may_not
from workflow.domain.roles import Role
from workflow.store.organizations import ObjectionContact, OrganizationContacts
from workflow.store.reports import Reports
from workflow.store.uow import UnitOfWork

DESK_ROLES = (Role.COMMITTEE, Role.ADMIN)


@dataclass(frozen=True)
class Objection:
    raised: Record
    resolution: Record | None

    @property
    def status(self) -> str:
        """pending, upheld or dismissed."""
        if self.resolution is None:
            return "pending"
        return "upheld" if self.resolution.data.get("upheld") else "dismissed"


@dataclass(frozen=True)
class Publicity:
    dossier_id: int
    name: str
    branch_id: int
    branch_name: str
    committee_id: int | None
    state: str
    span: WorkingDaySpan
    elapsed: bool
    working_days_left: int
    objections: list[Objection]

    @property
    def pending(self) -> int:
        return sum(o.status == "pending" for o in self.objections)


@dataclass(frozen=True)
class Desk:
    today: date
    in_progress: list[Publicity]
    elapsed: list[Publicity]
    # The committees of the scope; those without a contact are the desk's warnings.
    committees: list[ObjectionContact]

    @property
    def missing_contacts(self) -> list[ObjectionContact]:
        return [c for c in self.committees if not c.has_contact]


def desk(*, uow: UnitOfWork, env: Environment, actor: Actor) -> Desk:
    if actor.role not in DESK_ROLES:
        raise Forbidden(role_may_not(actor.role, "manage publicities", "管理公示"))
    today = env.today()
    rulebook = env.rulebook_on(today)
    declared = env.procedure.publicity
    with uow.transaction() as tx:
        found = Reports(tx.repo.connection).dossiers_with_records(
            scope_path=actor.organization_path, states=declared.states if declared else ())
        organizations = OrganizationContacts(tx.repo.connection).subtree(
            actor.organization_path)
    parents = {o.id: o.parent_id for o in organizations}
    publicities = []
    for entry in found:
        d = entry.dossier
        span = declared.span(d, rulebook, env.calendar)
        publicities.append(Publicity(
            dossier_id=d.id, name=entry.name, branch_id=d.branch_id,
            branch_name=entry.branch_name, committee_id=parents.get(d.branch_id),
            state=d.state, span=span, elapsed=today > span.last_day,
            working_days_left=env.calendar.working_days_left(span.last_day, today),
            objections=[Objection(o, r) for o, r in declared.objections(d)],
        ))
    publicities.sort(key=lambda p: (p.span.last_day, p.dossier_id))
    return Desk(today, [p for p in publicities if not p.elapsed],
                [p for p in publicities if p.elapsed],
                [o for o in organizations if o.kind == "committee"])
