"""Ways out of the procedure, and the way back to cultivation. Each needs a recorded reason."""

from __future__ import annotations

from states import fields
from states.activist import back_to_cultivation
from states.probation import PROBATION_STATES
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, BRANCH_OR_COMMITTEE
from workflow.domain.rules import Facts, Rule, fail

BEFORE_PROBATION = ("applicant", "activist", "training", "political_review", "pre_review",
                    "publicity", "vote", "approval")
CANDIDACY = ("training", "political_review", "pre_review", "publicity", "vote", "approval")

REASON = (fields.REASON,)


def _reason_given(f: Facts):
    if not str(f.payload.get("reason") or "").strip():
        return fail("A reason must be recorded.", "须记录原因。")
    return None


REASON_GIVEN = Rule(
    "reason_given",
    "A reason is recorded.",
    "记录原因。",
    _reason_given,
    inputs=("reason",),
)


def _close(d: Dossier, f: Facts) -> None:
    d.closing_reason = f.payload["reason"]


STAGE = Stage(
    states=(
        StateDef("rejected", "未被接收", "not admitted", final=True),
        StateDef("withdrawn", "本人撤回", "withdrawn by the applicant", final=True),
        StateDef("disqualified", "取消预备党员资格", "probationary membership cancelled",
                 final=True, article="Art. 32"),
    ),
    transitions=(
        TransitionDef(
            "reject", BEFORE_PROBATION, "rejected", BRANCH_OR_COMMITTEE,
            rules=(REASON_GIVEN,), params=REASON, effect=_close,
            summary_en="Do not admit (political review failed, vote failed, approval refused…).",
            summary_zh="不予接收。",
        ),
        TransitionDef(
            "withdraw", (*BEFORE_PROBATION, *PROBATION_STATES), "withdrawn", BRANCH,
            rules=(REASON_GIVEN,), params=REASON, effect=_close,
            summary_en="The applicant withdraws.",
            summary_zh="本人撤回申请。",
        ),
        TransitionDef(
            "return_to_activist", CANDIDACY, "activist", BRANCH_OR_COMMITTEE,
            rules=(REASON_GIVEN,), params=REASON, effect=back_to_cultivation,
            summary_en="Return to cultivation as an activist (e.g. the vote did not pass).",
            summary_zh="继续作为入党积极分子培养。",
        ),
    ),
    retired=(
        TransitionDef(
            "disqualify", PROBATION_STATES, "disqualified", BRANCH,
            rules=(REASON_GIVEN,), params=REASON, effect=_close,
            summary_en="Cancel the probationary membership (revision 1; now a motion of "
                       "hold_conversion_vote approved by approve_conversion).",
            summary_zh="取消预备党员资格（第1版规则）。",
            article="Art. 32",
        ),
    ),
)
