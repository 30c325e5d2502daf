"""The procedure's stages: one module per stage, each declaring its states, transitions,
rules (by id) and records. Open the module of a stage to see what the 细则 requires there."""

from __future__ import annotations

from states import (
    activist,
    application,
    approval,
    conversion,
    exits,
    political_review,
    pre_review,
    probation,
    publicity,
    training,
    vote,
)
from workflow.domain.procedure import Procedure

PROCEDURE = Procedure.from_stages(
    "applicant",
    [
        application.STAGE,
        activist.STAGE,
        training.STAGE,
        political_review.STAGE,
        pre_review.STAGE,
        publicity.STAGE,
        vote.STAGE,
        approval.STAGE,
        probation.STAGE,
        conversion.STAGE,
        exits.STAGE,
    ],
    revision=2,
)
PROCEDURE.check()
