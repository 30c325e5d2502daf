"""Probation (预备期, Art. 32–33): one year from the vote, extendable once."""

from __future__ import annotations

from datetime import date

from states.publicity import open_publicity
from workflow.domain.dates import add_months
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, BRANCH_OR_COMMITTEE, COMMITTEE
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Deadline, Facts, Param, Rule, fail

PROBATION_STATES = ("probationary", "conversion_publicity", "conversion_vote",
                    "conversion_approval")


def probation_end(d: Dossier, rb: Rulebook) -> date:
    """The day probation is complete: the vote date plus probation and any extension."""
    return add_months(d.voted_on, rb.probation_months + d.extension_months)


def _probation_elapsed(f: Facts):
    end = probation_end(f.dossier, f.rulebook)
    if f.on < end:
        return fail(
            f"Probation since the vote of {f.dossier.voted_on} ends on {end}.",
            f"预备期自{f.dossier.voted_on}支部大会通过之日起计算，至{end}期满。",
            end,
        )
    return None


PROBATION_ELAPSED = Rule(
    "probation_elapsed",
    "Probation of {probation_months} months from the vote (plus any extension) has elapsed.",
    "预备期{probation_months}个月（含延长期）已满。",
    _probation_elapsed,
    article="Art. 32",
)


def _probation_overdue(f: Facts):
    if f.dossier.state != "probationary":
        return None
    end = probation_end(f.dossier, f.rulebook)
    if f.on > end:
        return fail(
            f"Probation ended on {end} and neither conversion nor extension has begun.",
            f"预备期已于{end}期满，尚未讨论转正或延长预备期。",
        )
    return None


PROBATION_END = Rule(
    "probation_end",
    "When probation ends, the branch discusses conversion (or extends probation) in time.",
    "预备期满，党支部应及时讨论其能否转为正式党员。",
    _probation_overdue,
    article="Art. 33",
    # Open while the branch has not begun the conversion: once it has (publicity, vote,
    # approval), those steps have deadlines of their own, and this one is kept.
    deadline=lambda d, rb, cal: (
        Deadline("probation_end", probation_end(d, rb), "End of probation", "预备期满")
        if d.state == "probationary" else None
    ),
)


def _conversion_application(f: Facts):
    if not f.dossier.records_of("conversion_application", since=f.dossier.voted_on):
        return fail("No written application for conversion is recorded.", "尚无书面转正申请。")
    return None


CONVERSION_APPLICATION = Rule(
    "conversion_application",
    "The member's written application for conversion is recorded.",
    "本人已提出书面转正申请。",
    _conversion_application,
    article="Art. 33",
)


def _extension_length(f: Facts):
    months, rb = f.payload["months"], f.rulebook
    if not rb.extension_min_months <= months <= rb.extension_max_months:
        return fail(
            f"Probation is extended by {rb.extension_min_months} to {rb.extension_max_months} "
            f"months, not {months}.",
            f"延长预备期不能少于{rb.extension_min_months}个月，最长不超过"
            f"{rb.extension_max_months}个月（申请{months}个月）。",
        )
    return None


EXTENSION_LENGTH = Rule(
    "extension_length",
    "An extension lasts {extension_min_months} to {extension_max_months} months.",
    "延长预备期最少{extension_min_months}个月，最长不超过{extension_max_months}个月。",
    _extension_length,
    inputs=("months",),
    article="Art. 32",
)


def _extension_once(f: Facts):
    if f.dossier.extension_months:
        return fail(
            f"Probation was already extended by {f.dossier.extension_months} months.",
            f"预备期已延长过{f.dossier.extension_months}个月，只能延长一次。",
        )
    return None


EXTENSION_ONCE = Rule(
    "extension_once",
    "Probation is extended at most once.",
    "预备期只能延长一次。",
    _extension_once,
    article="Art. 32",
)


def _extend(d: Dossier, f: Facts) -> None:
    d.extension_months = f.payload["months"]


STAGE = Stage(
    states=(StateDef("probationary", "预备党员", "probationary member", article="Art. 32"),),
    deadline_rules=(PROBATION_END,),
    probation_states=PROBATION_STATES,
    records=(
        RecordType("oath", "入党宣誓", "oath taken", BRANCH_OR_COMMITTEE, PROBATION_STATES),
        RecordType("conversion_application", "书面转正申请", "written application for conversion",
                   BRANCH, ("probationary",), article="Art. 33"),
    ),
    transitions=(
        TransitionDef(
            "start_conversion_publicity", ("probationary",), "conversion_publicity", COMMITTEE,
            rules=(PROBATION_ELAPSED, CONVERSION_APPLICATION),
            effect=open_publicity,
            summary_en="Open the publicity before the conversion meeting.",
            summary_zh="开始转正公示。",
            article="Art. 33",
        ),
        TransitionDef(
            "extend_probation", PROBATION_STATES, "probationary", BRANCH,
            rules=(EXTENSION_LENGTH, EXTENSION_ONCE),
            params=(Param("months", "int", minimum=0, maximum=120),),
            effect=_extend,
            summary_en="Extend probation (once).",
            summary_zh="延长预备期。",
            article="Art. 32",
        ),
    ),
)
