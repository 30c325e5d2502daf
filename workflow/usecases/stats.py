"""The overview a committee reports on: dossiers per state per branch, the publicity and
objection status, and the structure of those admitted in a period (share under 35, women,
ethnic minorities, front-line workers, by education)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from workflow.domain.actors import Actor
from workflow.domain.dates import age_on
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Invalid, Message, role_may_not
from workflow.store.reports import Reports
from workflow.store.uow import UnitOfWork
from workflow.usecases.agenda import AGENDA_ROLES, scope_of

# The reports' age bracket for young members (35岁以下): a category of the statistics, not a
# rule of the procedure.
YOUTH_AGE = 35
HAN = frozenset({"汉族", "汉"})
UNKNOWN = "unknown"


@dataclass(frozen=True)
class BranchCounts:
    branch_id: int
    branch_name: str
    states: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass(frozen=True)
class PublicityStatus:
    in_progress: int = 0
    elapsed: int = 0
    objections_raised: int = 0
    objections_pending: int = 0
    objections_upheld: int = 0
    objections_dismissed: int = 0


@dataclass(frozen=True)
class Structure:
    """Who was admitted (approved as probationary member) between two dates, inclusive."""

    start: date
    end: date
    total: int
    under_35: int
    women: int
    ethnic_minorities: int
    ethnicity_unknown: int
    frontline: int
    by_education: dict[str, int]


@dataclass(frozen=True)
class Overview:
    today: date
    branches: list[BranchCounts]
    publicity: PublicityStatus
    admitted: Structure


def overview(*, uow: UnitOfWork, env: Environment, actor: Actor,
             organization_id: int | None = None, start: date | None = None,
             end: date | None = None) -> Overview:
    if actor.role not in AGENDA_ROLES:
        raise Forbidden(role_may_not(actor.role, "read the overview", "查看统计"))
    today = env.today()
    end = end or today
    start = start or date(end.year, 1, 1)
    if start > end:
        raise Invalid({"from": Message(f"must not be after the end of the period ({end})",
                                        f"不得晚于统计期的最后一天（{end}）")})
    scope = scope_of(uow, actor, organization_id)
    with uow.transaction() as tx:
        reports = Reports(tx.repo.connection)
        counts = reports.state_counts(scope_path=scope)
        publicity = env.procedure.publicity
        in_publicity = reports.dossiers_with_records(
            scope_path=scope, states=publicity.states if publicity else ())
        admitted = reports.admitted(scope_path=scope, start=start, end=end)
    return Overview(today, _branches(env, counts), _publicity(env, today, in_publicity),
                    _structure(start, end, admitted))


def _branches(env: Environment, rows) -> list[BranchCounts]:
    branches: dict[int, BranchCounts] = {}
    for row in rows:
        branch = branches.setdefault(row.branch_id, BranchCounts(
            row.branch_id, row.branch_name, {s.name: 0 for s in env.procedure.states}))
        if row.state is not None:
            branch.states[row.state] = row.count
    return list(branches.values())


def _publicity(env: Environment, today: date, found) -> PublicityStatus:
    rulebook = env.rulebook_on(today)
    publicity = env.procedure.publicity
    elapsed = raised = pending = upheld = 0
    for entry in found:
        if today > publicity.span(entry.dossier, rulebook, env.calendar).last_day:
            elapsed += 1
        for _objection, resolution in publicity.objections(entry.dossier):
            raised += 1
            if resolution is None:
                pending += 1
            elif resolution.data.get("upheld"):
                upheld += 1
    return PublicityStatus(len(found), elapsed, raised, pending, upheld,
                           raised - pending - upheld)


def _structure(start: date, end: date, people) -> Structure:
    # One row a person: a dossier is admitted once (`admitted_on`, see states/approval.py).
    return Structure(
        start=start, end=end, total=len(people),
        under_35=sum(age_on(p.birth_date, p.admitted_on) < YOUTH_AGE for p in people),
        women=sum(p.gender == "female" for p in people),
        ethnic_minorities=sum(bool(p.ethnicity) and p.ethnicity not in HAN for p in people),
        ethnicity_unknown=sum(not p.ethnicity for p in people),
        frontline=sum(p.frontline is True for p in people),
        by_education=dict(Counter(p.education or UNKNOWN for p in people).most_common()),
    )
