"""The branch general meeting's vote (支部大会讨论, Art. 20–21), for admission and conversion.

Written opinions of absent voting members count in the tallies but not towards the quorum,
and a majority is of those entitled to vote, not of those present.
"""

from __future__ import annotations

from states.activist import back_to_cultivation
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH
from workflow.domain.rules import Facts, Param, Rule, fail

VOTE_INPUTS = ("entitled", "present", "in_favour", "against", "abstained", "written")

VOTE_PARAMS = (
    Param("entitled", "int", minimum=1, maximum=100_000,
          description="members entitled to vote (应到会有表决权的党员)",
          label_zh="应到会有表决权党员数"),
    Param("present", "int", minimum=0, maximum=100_000,
          description="members with voting rights present (实到会有表决权的党员)",
          label_zh="实到会有表决权党员数"),
    Param("in_favour", "int", minimum=0, maximum=100_000, label_zh="赞成"),
    Param("against", "int", minimum=0, maximum=100_000, label_zh="反对"),
    Param("abstained", "int", minimum=0, maximum=100_000, label_zh="弃权"),
    Param("written", "int", required=False, minimum=0, maximum=100_000, default=0,
          description="written opinions handed in by absent voting members",
          label_zh="书面表决票数"),
)


def _counts(f: Facts) -> tuple[int, int, int, int, int, int]:
    p = f.payload
    return (p["entitled"], p["present"], p["in_favour"], p["against"], p["abstained"],
            p.get("written") or 0)


def _vote_counts(f: Facts):
    entitled, present, yes, no, abstained, written = _counts(f)
    cast = yes + no + abstained
    if not cast <= present + written <= entitled:
        return fail(
            f"Inconsistent counts: votes cast ({cast}) ≤ present ({present}) + written "
            f"({written}) ≤ entitled ({entitled}) does not hold.",
            f"票数不一致：表决票（{cast}）≤ 到会（{present}）+ 书面意见（{written}）≤ 应到会"
            f"（{entitled}）不成立。",
        )
    return None


VOTE_COUNTS = Rule(
    "vote_counts",
    "Votes cast ≤ members present + written opinions ≤ members entitled to vote.",
    "表决票数 ≤ 实到会人数 + 书面意见数 ≤ 应到会有表决权人数。",
    _vote_counts,
    inputs=VOTE_INPUTS,
    article="Art. 21",
)


def _quorum(f: Facts):
    entitled, present, *_ = _counts(f)
    if present * 2 <= entitled:
        return fail(
            f"No quorum: {present} of {entitled} members with voting rights present; more than "
            "half are required.",
            f"到会有表决权的党员{present}人，未超过应到会{entitled}人的半数。",
        )
    return None


QUORUM = Rule(
    "quorum",
    "More than half of the members entitled to vote are present.",
    "有表决权的到会人数超过应到会有表决权人数的半数。",
    _quorum,
    inputs=VOTE_INPUTS,
    article="Art. 20",
)


def _passed(f: Facts) -> bool:
    entitled, _, yes, *_ = _counts(f)
    return yes * 2 > entitled


# The trigger that keeps a valid meeting that did not pass, by the state it meets in.
FAILED_VOTE_TRIGGER = {"vote": "record_failed_vote"}


def _majority(f: Facts):
    if _passed(f):
        return None
    entitled, _, yes, *_ = _counts(f)
    trigger = FAILED_VOTE_TRIGGER.get(f.dossier.state, "record_failed_conversion_vote")
    return fail(
        f"No majority: {yes} in favour of {entitled} entitled to vote; more than half of "
        f"those entitled are required. A valid meeting that did not pass is recorded with "
        f"'{trigger}'.",
        f"赞成票{yes}票，未超过应到会有表决权人数{entitled}人的半数。"
        f"会议有效但未通过的，请以“{trigger}”记录表决结果。",
    )


MAJORITY = Rule(
    "majority",
    "More than half of the members entitled to vote (not of those present) vote in favour.",
    "赞成人数超过应到会有表决权的正式党员的半数。",
    _majority,
    inputs=VOTE_INPUTS,
    article="Art. 21",
)

VOTE_RULES = (VOTE_COUNTS, QUORUM, MAJORITY)


def _not_passed(f: Facts):
    if _passed(f):
        entitled, _, yes, *_ = _counts(f)
        return fail(
            f"The motion passed: {yes} in favour of {entitled} entitled to vote is more than "
            "half; record the resolution itself, not a failed vote.",
            f"赞成票{yes}票，已超过应到会有表决权人数{entitled}人的半数，会议已通过，"
            "不应记录为未通过。",
        )
    return None


NOT_PASSED = Rule(
    "not_passed",
    "Votes in favour do not exceed half of the members entitled to vote.",
    "赞成人数未超过应到会有表决权的正式党员的半数。",
    _not_passed,
    inputs=VOTE_INPUTS,
    article="Art. 21",
    revision=2,
)

# A valid meeting that did not pass: consistent counts, a quorum, and no majority.
FAILED_VOTE_RULES = (VOTE_COUNTS, QUORUM, NOT_PASSED)


def _volunteer_form(f: Facts):
    since = f.dossier.publicity_started_on
    if not f.dossier.records_of("volunteer_form", since=since):
        return fail(
            f"No application form (入党志愿书) issued between the pre-review ({since}) and the "
            f"vote ({f.on}) is recorded.",
            f"尚无{since}（党委预审）至{f.on}（支部大会）期间发放入党志愿书的记录。",
        )
    return None


VOLUNTEER_FORM = Rule(
    "volunteer_form",
    "The application form (入党志愿书) was issued between the pre-review (the start of the "
    "publicity) and the vote.",
    "党委预审合格后、支部大会讨论前发放入党志愿书。",
    _volunteer_form,
    article="Art. 19, 22",
    revision=2,
)


def _admission_vote(d: Dossier, f: Facts) -> None:
    d.voted_on = f.on


STAGE = Stage(
    states=(StateDef("vote", "支部大会讨论", "awaiting the branch general meeting",
                     article="Art. 20–21"),),
    transitions=(
        TransitionDef(
            "hold_vote", ("vote",), "approval", BRANCH,
            rules=(VOLUNTEER_FORM, *VOTE_RULES), params=VOTE_PARAMS, effect=_admission_vote,
            summary_en="Record the branch general meeting's resolution to admit.",
            summary_zh="支部大会讨论通过，接收为预备党员。",
            article="Art. 20–21",
        ),
        TransitionDef(
            # The meeting, its counts and its outcome stay in the log; the dossier returns
            # to cultivation with its activist date (the branch may then `reject`).
            "record_failed_vote", ("vote",), "activist", BRANCH,
            rules=FAILED_VOTE_RULES, params=VOTE_PARAMS, effect=back_to_cultivation,
            summary_en="Record a valid branch general meeting that did not admit.",
            summary_zh="支部大会讨论未通过，继续培养。",
            article="Art. 21–22",
        ),
    ),
)
