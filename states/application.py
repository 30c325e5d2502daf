"""Application (入党申请, Art. 5–8): age, the application talk, recommendation, contacts."""

from __future__ import annotations

from dataclasses import replace

from states.fields import BY, MEMBER
from workflow.domain.dates import add_months, add_years
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Deadline, Facts, Param, Rule, fail


def _min_age(f: Facts):
    d = f.dossier
    adult_on = add_years(d.birth_date, f.rulebook.min_age_years)
    if d.applied_on < adult_on:
        return fail(
            f"The applicant must be at least {f.rulebook.min_age_years} full years old on the "
            f"application date; that is the case from {adult_on}.",
            f"申请入党须年满{f.rulebook.min_age_years}周岁，申请人{adult_on}起年满。",
            adult_on,
        )
    return None


MIN_AGE = Rule(
    "min_age",
    "The applicant is at least {min_age_years} full years old on the application date.",
    "申请入党时年满{min_age_years}周岁。",
    _min_age,
    article="Art. 5",
)


def _talk_due(d: Dossier, rb: Rulebook) -> Deadline:
    return Deadline("talk_deadline", add_months(d.applied_on, rb.talk_deadline_months),
                    "Application talk", "入党申请谈话")


def _talk_deadline(f: Facts):
    due = _talk_due(f.dossier, f.rulebook).due
    talks = f.dossier.records_of("talk")
    held = min((t.date for t in talks), default=None)
    if (held is None and f.on > due) or (held is not None and held > due):
        return fail(
            f"The application talk was due by {due}"
            + (f" and was held on {held}." if held else " and has not been held."),
            f"入党申请谈话应于{due}前进行" + (f"，实际于{held}进行。" if held else "，尚未进行。"),
        )
    return None


TALK_DEADLINE = Rule(
    "talk_deadline",
    "The application talk is held within {talk_deadline_months} month(s) of the application.",
    "收到入党申请书后{talk_deadline_months}个月内派人谈话。",
    _talk_deadline,
    article="Art. 7",
    deadline=lambda d, rb, cal: (
        _talk_due(d, rb) if d.state == "applicant" and not d.records_of("talk") else None
    ),
    deadline_records=("talk",),
)


def _talk_done(f: Facts):
    # Dated on or before the designation: the facts are judged as of the act's date.
    if not f.dossier.records_of("talk", since=f.dossier.applied_on):
        return fail(
            f"No application talk dated between the application ({f.dossier.applied_on}) and "
            f"the designation ({f.on}) is recorded.",
            f"尚无{f.dossier.applied_on}（申请）至{f.on}（确定为积极分子）期间的入党申请谈话记录。",
        )
    return None


TALK_DONE = Rule(
    "talk_done",
    "An application talk is recorded, dated between the application and the designation.",
    "入党申请后、确定为入党积极分子前已进行入党申请谈话。",
    _talk_done,
    article="Art. 7",
)


def _recommended(f: Facts):
    if not f.dossier.records_of("recommendation"):
        return fail(
            "No recommendation by party members or a mass organisation is recorded.",
            "尚无党员推荐或群团组织推优记录。",
        )
    return None


RECOMMENDED = Rule(
    "recommended",
    "A recommendation by party members or by a mass organisation (e.g. the Youth League) is "
    "recorded.",
    "经党员推荐或群团组织推优。",
    _recommended,
    article="Art. 8",
)


def full_members_check(f: Facts, record_type: str, low: int, high: int, en: str, zh: str):
    """Shared by contacts and sponsors: between low and high distinct full members."""
    named = f.dossier.named_members(record_type)
    problems_en, problems_zh = [], []
    if not low <= len(named) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        wanted_zh = str(low) if low == high else f"{low}至{high}"
        problems_en.append(f"{wanted} {en} are required, {len(named)} recorded")
        problems_zh.append(f"须有{wanted_zh}名{zh}，现有{len(named)}名")
    # A member missing from the registry can stand for nothing: it counts as not full.
    not_full = [m.name if m else "?" for m in named if m is None or not m.is_full]
    if not_full:
        problems_en.append(f"not full members: {', '.join(not_full)}")
        problems_zh.append(f"非正式党员：{'、'.join(not_full)}")
    if problems_en:
        return fail("; ".join(problems_en) + ".", "；".join(problems_zh) + "。")
    return None


CONTACTS = Rule(
    "contacts",
    "{contacts_min} or {contacts_max} cultivation contacts are recorded, each a full member.",
    "确定{contacts_min}至{contacts_max}名正式党员作为培养联系人。",
    lambda f: full_members_check(
        f, "contact", f.rulebook.contacts_min, f.rulebook.contacts_max,
        "cultivation contacts", "培养联系人",
    ),
)


def _start_activist(d: Dossier, f: Facts) -> None:
    d.activist_on = f.on


STAGE = Stage(
    states=(StateDef("applicant", "入党申请人", "applicant", article="Art. 5–7"),),
    creation_rules=(MIN_AGE,),
    deadline_rules=(TALK_DEADLINE,),
    records=(
        RecordType("talk", "申请谈话", "application talk", BRANCH, ("applicant",),
                   (replace(BY, description="who held the talk"),), article="Art. 7"),
        RecordType("recommendation", "党员推荐/群团组织推优", "recommendation", BRANCH,
                   ("applicant",),
                   (Param("method", "choice", choices=("party_members", "mass_organization"),
                          label_zh="推荐方式"),),
                   article="Art. 8"),
        RecordType("contact", "培养联系人", "cultivation contact", BRANCH,
                   ("applicant", "activist"), (MEMBER,)),
    ),
    transitions=(
        TransitionDef(
            "designate_activist", ("applicant",), "activist", BRANCH,
            rules=(TALK_DONE, RECOMMENDED, CONTACTS),
            effect=_start_activist,
            summary_en="Designate the applicant as an activist.",
            summary_zh="确定为入党积极分子。",
            article="Art. 8",
        ),
    ),
)
