"""Political review (政治审查, Art. 16): passing it is the committee's conclusion."""

from __future__ import annotations

from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import COMMITTEE
from workflow.domain.rules import Facts, Param, Rule, fail


def _review_conclusion(f: Facts):
    if not str(f.payload.get("conclusion") or "").strip():
        return fail("The written conclusion of the political review is required.",
                    "须填写政治审查结论。")
    return None


REVIEW_CONCLUSION = Rule(
    "review_conclusion",
    "The written conclusion of the political review (政审结论) is given.",
    "形成政治审查结论。",
    _review_conclusion,
    inputs=("conclusion",),
    article="Art. 16",
    revision=2,
)

STAGE = Stage(
    states=(StateDef("political_review", "政治审查", "political review", article="Art. 16"),),
    transitions=(
        TransitionDef(
            # A failed review is a `reject` with its reason.
            "pass_political_review", ("political_review",), "pre_review", COMMITTEE,
            rules=(REVIEW_CONCLUSION,),
            params=(Param("conclusion", "text", description="政审结论"),),
            summary_en="Conclude the political review as passed.",
            summary_zh="政治审查合格。",
            article="Art. 16",
        ),
    ),
)
