"""Branch committee review, then committee pre-review (支部审查·党委预审, Art. 19)."""

from __future__ import annotations

from states.fields import SUMMARY
from states.publicity import open_publicity
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH, COMMITTEE
from workflow.domain.rules import Facts, Rule, fail


def _branch_reviewed(f: Facts):
    if not f.dossier.records_of("branch_review", since=f.dossier.candidate_on):
        return fail(
            "The branch committee's review is not recorded.", "尚无支部委员会审查记录。"
        )
    return None


BRANCH_REVIEWED = Rule(
    "branch_reviewed",
    "The branch committee's review is recorded.",
    "支部委员会已对发展对象进行审查。",
    _branch_reviewed,
    article="Art. 19",
)


STAGE = Stage(
    states=(StateDef("pre_review", "支部审查·党委预审", "branch review and committee pre-review",
                     article="Art. 19"),),
    records=(
        # Before the publicity (Art. 19) and, again, before the conversion publicity (Art. 33).
        RecordType("branch_review", "支部委员会审查", "branch committee review", BRANCH,
                   ("pre_review", "probationary"), (SUMMARY,),
                   article="Art. 19, 33"),
        # Issued after the pre-review, i.e. once the publicity has started.
        RecordType("volunteer_form", "发放入党志愿书", "application form issued",
                   COMMITTEE, ("publicity", "vote"), article="Art. 19, 22"),
    ),
    transitions=(
        TransitionDef(
            # Firing it is the committee's pre-review conclusion; its date opens the publicity.
            "start_publicity", ("pre_review",), "publicity", COMMITTEE,
            rules=(BRANCH_REVIEWED,),
            effect=open_publicity,
            summary_en="Conclude the pre-review and open the publicity.",
            summary_zh="党委预审合格，开始公示。",
            article="Art. 19",
        ),
    ),
)
