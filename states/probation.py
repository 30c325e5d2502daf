"""Probation (预备期, Art. 32–33): one year from the vote, extendable once.

Conversion, extension and cancellation each need a resolution of the branch general meeting
(a `motion` of `hold_conversion_vote`) and the committee's approval (Art. 32).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from states.fields import MONTHS, REASON
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


def _conversion_reviewed(f: Facts):
    applied = [r.date for r in f.dossier.records_of("conversion_application",
                                                     since=f.dossier.voted_on)]
    since = min(applied, default=None)
    if since is None or not f.dossier.records_of("branch_review", since=since):
        after = f" ({since})" if since else ""
        return fail(
            f"No branch committee review dated between the conversion application{after} and "
            f"this act ({f.on}) is recorded.",
            f"尚无转正申请{after}后至{f.on}期间支部委员会审查的记录。",
        )
    return None


CONVERSION_REVIEWED = Rule(
    "conversion_reviewed",
    "The branch committee's review, dated between the conversion application and the start of "
    "the conversion publicity, is recorded.",
    "支部委员会对转正申请进行审查。",
    _conversion_reviewed,
    article="Art. 33",
    revision=2,
)


# The motions of a branch general meeting on a probationary member (Art. 32).
CONVERT, EXTEND, DISQUALIFY = "convert", "extend", "disqualify"
MOTIONS = (CONVERT, EXTEND, DISQUALIFY)
MOTION_PARAMS = (
    Param("motion", "choice", required=False, choices=MOTIONS, default=CONVERT,
          description="the resolution voted on: convert (转正), extend (延长预备期) or "
                      "disqualify (取消预备党员资格)"),
    replace(MONTHS, required=False, description="for extend: the months of the extension"),
    replace(REASON, required=False, description="for disqualify: the reason"),
)


def motion_of(f: Facts) -> str:
    return f.payload.get("motion") or CONVERT


def _motion_allowed(f: Facts):
    motion, state = motion_of(f), f.dossier.state
    if motion != DISQUALIFY and state == "probationary":
        return fail(
            f"During probation the branch meeting can only resolve to disqualify; '{motion}' "
            "is voted once probation has ended and the conversion publicity is closed.",
            "预备期内支部大会只能讨论取消预备党员资格；转正或延长预备期须在预备期满、"
            "转正公示结束后讨论。",
        )
    if motion == EXTEND and f.payload.get("months") is None:
        return fail("An extension needs its months.", "延长预备期须写明延长的月数。")
    if motion == DISQUALIFY and not str(f.payload.get("reason") or "").strip():
        return fail("A disqualification needs its reason.", "取消预备党员资格须写明原因。")
    if motion != EXTEND and f.payload.get("months") is not None:
        return fail("Months belong to an extension only.", "只有延长预备期才写月数。")
    return None


MOTION_ALLOWED = Rule(
    "motion_allowed",
    "Conversion and extension are voted once probation has ended (after the conversion "
    "publicity); disqualification at any time of probation, with its reason; an extension "
    "names its months.",
    "转正、延长预备期在预备期满并经公示后讨论；取消预备党员资格可在预备期内任何时候讨论，"
    "须写明原因；延长预备期须写明月数。",
    _motion_allowed,
    inputs=("motion", "months", "reason"),
    article="Art. 32",
    revision=2,
)


def _oath(f: Facts):
    # Judged for a conversion once probation has ended; during probation only a
    # disqualification can be voted (`motion_allowed`).
    if motion_of(f) != CONVERT or f.dossier.state == "probationary":
        return None
    since = f.dossier.admitted_on
    if not f.dossier.records_of("oath", since=since):
        return fail(
            f"No oath dated between the admission approval ({since}) and the conversion vote "
            f"({f.on}) is recorded.",
            f"尚无{since}（党委审批接收）至{f.on}（转正大会）期间的入党宣誓记录。",
        )
    return None


OATH = Rule(
    "oath",
    "For a conversion: the oath was taken between the admission approval and the vote.",
    "转正前已进行入党宣誓。",
    _oath,
    article="党章 Art. 6",
    revision=2,
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
    months, rb = f.payload.get("months"), f.rulebook
    if motion_of(f) != EXTEND or months is None:
        return None
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
    "For an extension: it lasts {extension_min_months} to {extension_max_months} months.",
    "延长预备期最少{extension_min_months}个月，最长不超过{extension_max_months}个月。",
    _extension_length,
    inputs=("months",),
    article="Art. 32",
)


def _extension_once(f: Facts):
    if motion_of(f) == EXTEND and f.dossier.extension_months:
        return fail(
            f"Probation was already extended by {f.dossier.extension_months} months.",
            f"预备期已延长过{f.dossier.extension_months}个月，只能延长一次。",
        )
    return None


EXTENSION_ONCE = Rule(
    "extension_once",
    "For an extension: probation is extended at most once.",
    "预备期只能延长一次。",
    _extension_once,
    article="Art. 32",
)


def _extend(d: Dossier, f: Facts) -> None:
    # Revision 1's bare extension (retired): kept to replay the history recorded with it.
    d.extension_months = f.payload["months"]


STAGE = Stage(
    states=(StateDef("probationary", "预备党员", "probationary member", article="Art. 32"),),
    deadline_rules=(PROBATION_END,),
    probation_states=PROBATION_STATES,
    records=(
        RecordType("oath", "入党宣誓", "oath taken", BRANCH_OR_COMMITTEE, PROBATION_STATES,
                   article="党章 Art. 6"),
        RecordType("conversion_application", "书面转正申请", "written application for conversion",
                   BRANCH, ("probationary",), article="Art. 33"),
    ),
    transitions=(
        TransitionDef(
            "start_conversion_publicity", ("probationary",), "conversion_publicity", COMMITTEE,
            rules=(PROBATION_ELAPSED, CONVERSION_APPLICATION, CONVERSION_REVIEWED),
            effect=open_publicity,
            summary_en="Open the publicity before the conversion meeting.",
            summary_zh="开始转正公示。",
            article="Art. 33",
        ),
    ),
    retired=(
        TransitionDef(
            "extend_probation", PROBATION_STATES, "probationary", BRANCH,
            params=(MONTHS,),
            effect=_extend,
            summary_en="Extend probation (revision 1; now a motion of hold_conversion_vote).",
            summary_zh="延长预备期（第1版规则）。",
            article="Art. 32",
        ),
    ),
)
