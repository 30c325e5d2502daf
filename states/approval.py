"""Committee talk and approval (党委审批), for admission and, counted anew, for conversion."""

from __future__ import annotations

from datetime import date

from states.fields import BY, REASON
from workflow.domain.dates import add_months
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import COMMITTEE
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Deadline, Facts, Rule, fail

APPROVAL_STATES = ("approval", "conversion_approval")


def _vote_date(d: Dossier) -> date | None:
    """The vote an approval answers: admission or conversion, by the dossier's state."""
    return d.conversion_voted_on if d.state == "conversion_approval" else d.voted_on


def approval_due(d: Dossier, rb: Rulebook) -> date:
    """The deadline in force: 3 months from the vote, 6 with an `extension_reason`."""
    voted = _vote_date(d)
    extended = bool(d.records_of("extension_reason", since=voted))
    return add_months(voted, rb.approval_extended_months if extended else rb.approval_months)


def _approval_deadline(f: Facts):
    voted = _vote_date(f.dossier)
    due = approval_due(f.dossier, f.rulebook)
    if f.on > due:
        return fail(
            f"Approval was due by {due} (branch vote on {voted}).",
            f"应于{due}前审批（支部大会于{voted}讨论通过）。",
        )
    return None


def _late_reason(f: Facts) -> bool:
    return bool(f.dossier.records_of("late_reason", since=_vote_date(f.dossier)))


APPROVAL_DEADLINE = Rule(
    "approval_deadline",
    "Approved within {approval_months} months of the branch vote, or within "
    "{approval_extended_months} months where an extension reason is recorded; later only "
    "with a recorded late reason, and then always listed as late by the compliance report.",
    "支部大会讨论通过后{approval_months}个月内审批；有特殊情况的可延长至"
    "{approval_extended_months}个月；逾期审批须记录情况说明，并列入合规报告。",
    _approval_deadline,
    excused=_late_reason,
    deadline=lambda d, rb, cal: (
        Deadline("approval_deadline", approval_due(d, rb), "Committee approval", "党委审批")
        if d.state in APPROVAL_STATES else None
    ),
    deadline_records=("extension_reason",),
)


def _approval_talk(f: Facts):
    voted = f.dossier.voted_on
    if not f.dossier.records_of("approval_talk", since=voted):
        return fail(
            f"No talk by a committee member or organiser dated between the vote ({voted}) and "
            f"the approval ({f.on}) is recorded.",
            f"尚无{voted}（支部大会）至{f.on}（审批）期间党委委员或组织员的谈话记录。",
        )
    return None


APPROVAL_TALK = Rule(
    "approval_talk",
    "A committee member's or organiser's talk with the candidate, dated between the vote and "
    "the approval.",
    "审批前党委委员或组织员同发展对象谈话。",
    _approval_talk,
)

def _admit(d: Dossier, f: Facts) -> None:
    # Set once: no transition leads from probation back to approval (a test checks it), so
    # the admissions of a period are read from the dossiers, not searched for in the log.
    d.admitted_on = f.on


STAGE = Stage(
    states=(StateDef("approval", "党委审批", "awaiting committee approval"),),
    records=(
        RecordType("approval_talk", "审批前谈话", "talk before approval", COMMITTEE,
                   ("approval",), (BY,)),
        RecordType("extension_reason", "延长审批期限的特殊情况", "reason to extend approval",
                   COMMITTEE, APPROVAL_STATES, (REASON,)),
        RecordType("late_reason", "超期审批的情况说明", "reason for a late approval",
                   COMMITTEE, APPROVAL_STATES, (REASON,)),
    ),
    transitions=(
        TransitionDef(
            "approve", ("approval",), "probationary", COMMITTEE,
            rules=(APPROVAL_TALK, APPROVAL_DEADLINE),
            effect=_admit,
            summary_en="Approve the admission as probationary member.",
            summary_zh="党委审批，接收为预备党员。",
        ),
    ),
)
