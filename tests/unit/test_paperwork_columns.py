"""The paperwork follows the procedure's declarations: a new act gets its import columns and
its place among the acts without a change to the paperwork."""

from __future__ import annotations

from dataclasses import replace

import states
from workflow.domain.procedure import RecordType, Stage, StateDef, TransitionDef
from workflow.domain.roles import BRANCH
from workflow.domain.rules import Param
from workflow.usecases.paperwork.import_sheet import PROFILE, columns
from workflow.usecases.paperwork.vocabulary import acts


def test_every_act_of_the_procedure_has_a_date_column():
    procedure = states.PROCEDURE
    headers = [c.header for c in columns(procedure)]
    assert headers[:len(PROFILE)] == [c.header for c in PROFILE]
    dated = {c.act.name for c in columns(procedure)
             if c.act is not None and c.kind in ("date", "dates")}
    expected = {a.name for a in acts(procedure)
                if not any(p.kind == "record" for p in a.params)}
    assert dated == expected
    # In the procedure's order: the talk before the designation, the vote before approval.
    order = [a.name for a in acts(procedure)]
    assert order.index("talk") < order.index("designate_activist") < order.index("sponsor")
    assert order.index("hold_vote") < order.index("approve") < order.index("reject")


def test_a_new_act_appears_in_the_sheet_by_itself():
    extra = Stage(
        states=(StateDef("waiting", "等待", "waiting"),),
        records=(RecordType("visit", "家访", "home visit", BRANCH, ("applicant",),
                            (Param("by", "text"), Param("visitors", "int", minimum=1))),),
        transitions=(TransitionDef("wait", ("applicant",), "waiting", BRANCH,
                                   summary_zh="暂缓。"),
                     TransitionDef("resume", ("waiting",), "applicant", BRANCH,
                                   summary_zh="恢复。")),
    )
    base = states.PROCEDURE
    procedure = replace(base, states=(*base.states, *extra.states),
                        transitions=(*base.transitions, *extra.transitions),
                        records=(*base.records, *extra.records))
    headers = [c.header for c in columns(procedure)]
    assert {"家访时间", "家访·谈话人", "家访·visitors", "暂缓时间", "恢复时间"} <= set(headers)
    kinds = {c.header: c.kind for c in columns(procedure)}
    assert kinds["家访·visitors"] == "int" and kinds["家访时间"] == "dates"
