"""Conversion to full member (转正, Art. 32–33): publicity, branch vote, committee approval.

The branch general meeting resolves on a motion (convert, extend or disqualify) and the
committee approves that motion or refuses it (Art. 32: each needs both). The membership date
(党龄) is the day probation ended, not the day of approval (党章 Art. 7).
"""

from __future__ import annotations

from states.approval import APPROVAL_DEADLINE
from states.exits import REASON, REASON_GIVEN
from states.probation import (
    CONVERT,
    DISQUALIFY,
    EXTEND,
    EXTENSION_LENGTH,
    EXTENSION_ONCE,
    MOTION_ALLOWED,
    MOTION_PARAMS,
    OATH,
    motion_of,
    probation_end,
)
from states.publicity import OBJECTIONS_RESOLVED, PUBLICITY_ELAPSED
from states.vote import FAILED_VOTE_RULES, VOTE_PARAMS, VOTE_RULES
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, COMMITTEE
from workflow.domain.rules import Facts

MEETING_STATES = ("conversion_vote", "probationary")
# Where an approved motion leads.
OUTCOME = {CONVERT: "full_member", EXTEND: "probationary", DISQUALIFY: "disqualified"}


def _conversion_vote(d: Dossier, f: Facts) -> None:
    d.conversion_voted_on = f.on
    motion = motion_of(f)
    d.motion = {"motion": motion, "months": f.payload.get("months"),
                "reason": f.payload.get("reason"), "from": d.state}


def _approved_motion(d: Dossier) -> str:
    # A dossier awaiting approval under revision 1 voted to convert (migration 0006 says so).
    return (d.motion or {}).get("motion") or CONVERT


def _apply_motion(d: Dossier, f: Facts) -> None:
    motion = _approved_motion(d)
    if motion == CONVERT:
        d.membership_on = probation_end(d, f.rulebook)
    elif motion == EXTEND:
        d.extension_months = d.motion["months"]
        d.conversion_voted_on = None
    else:
        d.closing_reason = d.motion["reason"]
    d.motion = None


def _refused(d: Dossier, f: Facts) -> None:
    d.motion = None
    d.conversion_voted_on = None


STAGE = Stage(
    states=(
        StateDef("conversion_publicity", "转正公示", "publicity before conversion"),
        StateDef("conversion_vote", "转正·支部大会", "awaiting the conversion meeting",
                 article="Art. 33"),
        StateDef("conversion_approval", "转正·党委审批", "awaiting approval of the resolution"),
        StateDef("full_member", "正式党员", "full member", final=True),
    ),
    transitions=(
        TransitionDef(
            "close_conversion_publicity", ("conversion_publicity",), "conversion_vote",
            COMMITTEE,
            rules=(PUBLICITY_ELAPSED, OBJECTIONS_RESOLVED),
            summary_en="Close the conversion publicity.",
            summary_zh="转正公示结束。",
        ),
        TransitionDef(
            "hold_conversion_vote", MEETING_STATES, "conversion_approval", BRANCH,
            rules=(*VOTE_RULES, MOTION_ALLOWED, OATH, EXTENSION_LENGTH, EXTENSION_ONCE),
            params=(*VOTE_PARAMS, *MOTION_PARAMS), effect=_conversion_vote,
            summary_en="Record the branch general meeting's resolution: convert, extend "
                       "probation, or disqualify.",
            summary_zh="支部大会讨论通过转正、延长预备期或取消预备党员资格的决议。",
            article="Art. 32–33",
        ),
        TransitionDef(
            # Kept in the log; the state does not change and the branch meets again.
            "record_failed_conversion_vote", MEETING_STATES, "conversion_vote", BRANCH,
            rules=(*FAILED_VOTE_RULES, MOTION_ALLOWED),
            params=(*VOTE_PARAMS, *MOTION_PARAMS),
            routes=("probationary",), route=lambda f: f.dossier.state,
            summary_en="Record a valid branch general meeting whose motion did not pass.",
            summary_zh="支部大会讨论未通过（记录在案，可另行讨论）。",
            article="Art. 32–33",
        ),
        TransitionDef(
            "approve_conversion", ("conversion_approval",), "full_member", COMMITTEE,
            rules=(APPROVAL_DEADLINE,),
            effect=_apply_motion,
            routes=("probationary", "disqualified"),
            route=lambda f: OUTCOME[_approved_motion(f.dossier)],
            summary_en="Approve the branch's resolution: full member, extended probation, or "
                       "disqualified.",
            summary_zh="党委审批支部大会决议：转为正式党员、延长预备期或取消预备党员资格。",
            article="Art. 32",
        ),
        TransitionDef(
            "refuse_conversion_resolution", ("conversion_approval",), "conversion_vote",
            COMMITTEE,
            rules=(REASON_GIVEN,), params=REASON, effect=_refused,
            routes=("probationary",),
            route=lambda f: (f.dossier.motion or {}).get("from") or "conversion_vote",
            summary_en="Do not approve the branch's resolution; the branch meets again.",
            summary_zh="党委不批准支部大会决议，支部重新讨论。",
            article="Art. 32",
        ),
    ),
)
