"""Political review (政治审查, Art. 16): passing it is the committee's conclusion."""

from __future__ import annotations

from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import COMMITTEE

STAGE = Stage(
    states=(StateDef("political_review", "政治审查", "political review", article="Art. 16"),),
    transitions=(
        TransitionDef(
            # A failed review is a `reject` with its reason.
            "pass_political_review", ("political_review",), "pre_review", COMMITTEE,
            summary_en="Conclude the political review as passed.",
            summary_zh="政治审查合格。",
            article="Art. 16",
        ),
    ),
)
