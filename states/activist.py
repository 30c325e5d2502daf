"""Activist (入党积极分子, Art. 8–13): a year of cultivation, evaluations, sponsors, filing."""

from __future__ import annotations

from states.application import full_members_check
from states.fields import MEMBER, SUMMARY
from workflow.domain.dates import add_months, full_months_between
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, COMMITTEE
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Deadline, Facts, Param, Rule, fail


def _cultivation_period(f: Facts):
    since = f.dossier.activist_on
    ready = add_months(since, f.rulebook.cultivation_months)
    if f.on < ready:
        return fail(
            f"Cultivation since {since} lasts until {ready}: a development target can be "
            f"designated from {ready}.",
            f"自{since}确定为入党积极分子，培养教育考察期满{ready}，届时方可确定为发展对象。",
            ready,
        )
    return None


CULTIVATION_PERIOD = Rule(
    "cultivation_period",
    "At least {cultivation_months} months of cultivation since the activist date.",
    "确定为入党积极分子后经过{cultivation_months}个月以上的培养教育和考察。",
    _cultivation_period,
    article="Art. 13",
)


def _evaluations(f: Facts):
    since = f.dossier.activist_on
    interval = f.rulebook.evaluation_interval_months
    done = sorted(r.date for r in f.dossier.records_of("evaluation", since=since))
    required = full_months_between(since, f.on) // interval
    if len(done) < required:
        return fail(
            f"{required} half-yearly evaluations are required since {since}, "
            f"{len(done)} recorded.",
            f"自{since}起应有{required}次半年考察，现有{len(done)}次。",
        )
    if required and add_months(done[-1], interval) < f.on:
        return fail(
            f"The latest evaluation ({done[-1]}) is more than {interval} months old.",
            f"最近一次考察（{done[-1]}）已超过{interval}个月。",
        )
    return None


EVALUATIONS = Rule(
    "evaluations",
    "An evaluation in every full {evaluation_interval_months}-month period since the activist "
    "date, the latest no more than {evaluation_interval_months} months old.",
    "每{evaluation_interval_months}个月至少考察一次，最近一次考察不超过"
    "{evaluation_interval_months}个月。",
    _evaluations,
)


def _next_evaluation(d: Dossier, rb: Rulebook) -> Deadline:
    done = [r.date for r in d.records_of("evaluation", since=d.activist_on)]
    base = max(done, default=d.activist_on)
    return Deadline("evaluation_due", add_months(base, rb.evaluation_interval_months),
                    "Half-yearly evaluation", "半年考察")


def _evaluation_due(f: Facts):
    if f.dossier.state != "activist":
        return None
    due = _next_evaluation(f.dossier, f.rulebook).due
    if f.on > due:
        return fail(f"An evaluation was due by {due}.", f"应于{due}前进行考察。")
    return None


EVALUATION_DUE = Rule(
    "evaluation_due",
    "An activist is evaluated at least every {evaluation_interval_months} months.",
    "对入党积极分子每{evaluation_interval_months}个月考察一次。",
    _evaluation_due,
    deadline=lambda d, rb, cal: _next_evaluation(d, rb) if d.state == "activist" else None,
    deadline_records=("evaluation",),
)


SPONSORS = Rule(
    "sponsors",
    "Exactly {sponsors_required} sponsors are recorded, each a full member.",
    "有{sponsors_required}名正式党员作入党介绍人。",
    lambda f: full_members_check(
        f, "sponsor", f.rulebook.sponsors_required, f.rulebook.sponsors_required,
        "sponsors", "入党介绍人",
    ),
    article="Art. 14",
)


def _filed(f: Facts):
    if not any(r.data.get("stage") == "activist" for r in f.dossier.records_of("filing")):
        return fail(
            "The committee has not acknowledged the activist filing.",
            "入党积极分子尚未报上级党委备案。",
        )
    return None


FILED = Rule(
    "filed",
    "The committee has acknowledged the activist filing (备案).",
    "确定入党积极分子已报上级党委备案。",
    _filed,
    article="Art. 8",
)


def _candidate_filed(f: Facts):
    since = f.dossier.activist_on
    if not any(r.data.get("stage") == "candidate"
               for r in f.dossier.records_of("filing", since=since)):
        return fail(
            f"The committee has not acknowledged the filing of the development target "
            f"(a filing of stage 'candidate' dated between {since} and {f.on}).",
            f"确定发展对象尚未报上级党委备案（应有{since}至{f.on}期间的发展对象备案记录）。",
        )
    return None


CANDIDATE_FILED = Rule(
    "candidate_filed",
    "The committee has acknowledged the filing of the development target, dated between the "
    "activist date and the designation.",
    "支部委员会讨论同意并报上级党委备案后，方可列为发展对象。",
    _candidate_filed,
    article="Art. 13",
    revision=2,
)


def _start_candidacy(d: Dossier, f: Facts) -> None:
    d.candidate_on = f.on


def back_to_cultivation(d: Dossier, f: Facts) -> None:
    """The effect of every way back to cultivation (继续培养): the original activist date is
    kept, the candidacy starts afresh, and with it every dated window of its records (branch
    review, publicity and its objections, vote, approval talk)."""
    d.candidate_on = None
    d.publicity_started_on = None
    d.voted_on = None


STAGE = Stage(
    states=(StateDef("activist", "入党积极分子", "activist", article="Art. 8"),),
    deadline_rules=(EVALUATION_DUE,),
    records=(
        RecordType("evaluation", "半年考察", "half-yearly evaluation", BRANCH, ("activist",),
                   (SUMMARY,)),
        RecordType("sponsor", "入党介绍人", "sponsor", BRANCH, ("activist",),
                   (MEMBER,), article="Art. 14"),
        RecordType("filing", "报上级党委备案", "filing acknowledged by the committee", COMMITTEE,
                   ("activist", "training", "political_review", "pre_review", "publicity",
                    "vote", "approval", "probationary"),
                   (Param("stage", "choice", choices=("activist", "candidate", "admission"),
                          label_zh="备案阶段"),),
                   article="Art. 8, 13"),
    ),
    transitions=(
        TransitionDef(
            "designate_candidate", ("activist",), "training", BRANCH,
            rules=(CULTIVATION_PERIOD, EVALUATIONS, SPONSORS, FILED, CANDIDATE_FILED),
            effect=_start_candidacy,
            summary_en="Designate the activist as a development target.",
            summary_zh="确定为发展对象。",
            article="Art. 13",
        ),
    ),
)
