"""Publicity (公示) before a branch general meeting, for admission and for conversion alike."""

from __future__ import annotations

from datetime import timedelta

from states.fields import SUMMARY
from workflow.domain.calendar import WorkingDayCalendar, WorkingDaySpan
from workflow.domain.dossier import Dossier, Record
from workflow.domain.errors import Message
from workflow.domain.procedure import Publicity, RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH_OR_COMMITTEE, COMMITTEE
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Deadline, Facts, Param, Rule, fail

PUBLICITY_STATES = ("publicity", "conversion_publicity")


def publicity_span(d: Dossier, rb: Rulebook, cal: WorkingDayCalendar) -> WorkingDaySpan:
    """The working days of the dossier's current publicity."""
    return cal.working_days_from(d.publicity_started_on, rb.publicity_working_days)


def open_publicity(d: Dossier, f: Facts) -> None:
    """The effect of the triggers that open a publicity: its first day is the act's date."""
    d.publicity_started_on = f.on


def _publicity_elapsed(f: Facts):
    span = publicity_span(f.dossier, f.rulebook, f.calendar)
    if f.on <= span.last_day:
        earliest = span.last_day + timedelta(days=1)
        note_en = f" ({span.warning})" if span.warning else ""
        note_zh = "（该年度法定节假日安排未载入，按周一至周五计算）" if span.warning else ""
        return fail(
            f"The publicity of {f.rulebook.publicity_working_days} working days from "
            f"{span.first_day} ends on {span.last_day}; it can be closed from {earliest}."
            + note_en,
            f"公示期{f.rulebook.publicity_working_days}个工作日，自{span.first_day}至"
            f"{span.last_day}，{earliest}起方可结束。" + note_zh,
            earliest,
        )
    return None


PUBLICITY_ELAPSED = Rule(
    "publicity_elapsed",
    "The effective date is after the {publicity_working_days}th working day of the publicity.",
    "公示期满{publicity_working_days}个工作日。",
    _publicity_elapsed,
    deadline=lambda d, rb, cal: (
        Deadline("publicity_elapsed", publicity_span(d, rb, cal).last_day,
                 "End of publicity", "公示期满")
        if d.state in PUBLICITY_STATES else None
    ),
)


def objections_of_current_publicity(d: Dossier) -> list[tuple[Record, Record | None]]:
    """Each objection raised since the publicity started, with its resolution if any."""
    resolutions = {r.data["objection_id"]: r for r in d.records_of("objection_resolution")}
    return [
        (objection, resolutions.get(objection.id))
        for objection in d.records_of("objection", since=d.publicity_started_on)
    ]


def _objections_resolved(f: Facts):
    pending, upheld = [], []
    for objection, resolution in objections_of_current_publicity(f.dossier):
        if resolution is None:
            pending.append(str(objection.id))
        elif resolution.data.get("upheld"):
            upheld.append(str(objection.id))
    if pending or upheld:
        en, zh = [], []
        if pending:
            en.append(f"objections without a resolution: {', '.join(pending)}")
            zh.append(f"反映的问题尚未核查：{'、'.join(pending)}")
        if upheld:
            en.append(f"objections upheld: {', '.join(upheld)}")
            zh.append(f"反映的问题经核查属实：{'、'.join(upheld)}")
        return fail("; ".join(en) + ".", "；".join(zh) + "。")
    return None


OBJECTIONS_RESOLVED = Rule(
    "objections_resolved",
    "Every objection raised during the publicity has a recorded resolution, and none was upheld.",
    "公示期间反映的问题均已核查，且均不属实。",
    _objections_resolved,
)


def _check_resolution(d: Dossier, record: Record) -> dict[str, str]:
    objection_id = record.data["objection_id"]
    pairs = {o.id: r for o, r in objections_of_current_publicity(d)}
    if objection_id not in pairs:
        return {"objection_id": Message("no objection of this publicity has this id",
                                        "本次公示没有这个编号的意见")}
    if pairs[objection_id] is not None:
        return {"objection_id": Message("this objection already has a resolution",
                                        "这条意见已有处理结果")}
    return {}


STAGE = Stage(
    states=(StateDef("publicity", "公示", "publicity"),),
    publicity=Publicity(PUBLICITY_STATES, publicity_span, objections_of_current_publicity),
    records=(
        RecordType("objection", "公示期间反映的问题", "objection", BRANCH_OR_COMMITTEE,
                   PUBLICITY_STATES, (SUMMARY,)),
        RecordType("objection_resolution", "核查结论", "resolution of an objection", COMMITTEE,
                   PUBLICITY_STATES,
                   (Param("objection_id", "record", label_zh="异议"),
                    Param("upheld", "bool", label_zh="异议属实"), SUMMARY),
                   validate=_check_resolution),
    ),
    transitions=(
        TransitionDef(
            "close_publicity", ("publicity",), "vote", COMMITTEE,
            rules=(PUBLICITY_ELAPSED, OBJECTIONS_RESOLVED),
            summary_en="Close the publicity; the branch general meeting may vote.",
            summary_zh="公示结束，提交支部大会讨论。",
        ),
    ),
)
