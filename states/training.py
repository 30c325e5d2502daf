"""Development target in intensive training (集中培训, Art. 17)."""

from __future__ import annotations

from workflow.domain.procedure import Stage, StateDef, TransitionDef
from workflow.domain.roles import COMMITTEE
from workflow.domain.rules import Facts, Param, Rule, fail


def _training_hours(f: Facts):
    hours = f.payload.get("hours") or 0
    days = f.payload.get("days") or 0
    rb = f.rulebook
    if not f.payload.get("passed"):
        return fail("The training was not passed.", "培训未结业（考核未通过）。")
    if hours < rb.training_hours_min and days < rb.training_days_min:
        return fail(
            f"Training needs at least {rb.training_hours_min} class hours or "
            f"{rb.training_days_min} days; {hours} hours and {days} days were given.",
            f"集中培训须不少于{rb.training_hours_min}个学时或{rb.training_days_min}天，"
            f"实际{hours}学时、{days}天。",
        )
    return None


TRAINING_HOURS = Rule(
    "training_hours",
    "Training passed with at least {training_hours_min} class hours or {training_days_min} days.",
    "经过不少于{training_days_min}天或{training_hours_min}个学时的集中培训并结业。",
    _training_hours,
    inputs=("hours", "days", "passed"),
    article="Art. 17",
)

STAGE = Stage(
    states=(StateDef("training", "发展对象·集中培训", "development target in training",
                     article="Art. 13, 14, 17"),),
    transitions=(
        TransitionDef(
            "complete_training", ("training",), "political_review", COMMITTEE,
            rules=(TRAINING_HOURS,),
            params=(
                Param("hours", "int", required=False, minimum=0, maximum=10_000,
                      label_zh="培训学时"),
                Param("days", "int", required=False, minimum=0, maximum=1_000,
                      label_zh="培训天数"),
                Param("passed", "bool", label_zh="培训合格"),
            ),
            summary_en="Record the intensive training as completed.",
            summary_zh="集中培训结业。",
            article="Art. 17",
        ),
    ),
)
