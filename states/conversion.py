"""Conversion to full member (转正, Art. 33): publicity, branch vote, committee approval.

The membership date (党龄) is the day probation ended, not the day of approval (党章 Art. 7).
"""

from __future__ import annotations

from states.approval import APPROVAL_DEADLINE
from states.probation import probation_end
from states.publicity import OBJECTIONS_RESOLVED, PUBLICITY_ELAPSED
from states.vote import VOTE_PARAMS, VOTE_RULES
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, COMMITTEE
from workflow.domain.rules import Facts


def _conversion_vote(d: Dossier, f: Facts) -> None:
    d.conversion_voted_on = f.on


def _admit_as_full_member(d: Dossier, f: Facts) -> None:
    d.membership_on = probation_end(d, f.rulebook)


STAGE = Stage(
    states=(
        StateDef("conversion_publicity", "转正公示", "publicity before conversion"),
        StateDef("conversion_vote", "转正·支部大会", "awaiting the conversion meeting",
                 article="Art. 33"),
        StateDef("conversion_approval", "转正·党委审批", "awaiting approval of conversion"),
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
            "hold_conversion_vote", ("conversion_vote",), "conversion_approval", BRANCH,
            rules=VOTE_RULES, params=VOTE_PARAMS, effect=_conversion_vote,
            summary_en="Record the branch general meeting's resolution to convert.",
            summary_zh="支部大会讨论通过转为正式党员。",
            article="Art. 33",
        ),
        TransitionDef(
            "approve_conversion", ("conversion_approval",), "full_member", COMMITTEE,
            rules=(APPROVAL_DEADLINE,),
            effect=_admit_as_full_member,
            summary_en="Approve the conversion to full member.",
            summary_zh="党委审批转为正式党员。",
        ),
    ),
)
