"""The Chinese words of the paperwork, and the procedure's acts in the order of the procedure.

Labels of states, transitions and record types come from their declarations; this module only
names what the declarations leave unnamed in Chinese (payload fields and their choices), with
the field's own name as the fallback, so that a field added to `states/` still shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.domain.dossier import CORRECT_PROFILE, TRANSFER, VOID
from workflow.domain.procedure import Procedure, RecordType, TransitionDef
from workflow.domain.rules import Param

GENDERS = {"male": "男", "female": "女"}
YES_NO = {True: "是", False: "否"}
ROLES = {"branch": "党支部", "committee": "基层党委", "auditor": "审计", "admin": "管理员"}

PARAM_LABELS = {
    "by": "谈话人", "method": "推荐方式", "member_id": "党员", "summary": "内容",
    "stage": "备案类别", "hours": "培训学时", "days": "培训天数", "passed": "结业",
    "entitled": "应到会有表决权党员数", "present": "实到会有表决权党员数",
    "in_favour": "赞成", "against": "反对", "abstained": "弃权", "written": "书面表决",
    "reason": "原因", "months": "月数", "upheld": "是否属实", "objection_id": "所涉问题",
    "conclusion": "结论", "motion": "议题",
}
CHOICE_LABELS = {
    "party_members": "党员推荐", "mass_organization": "群团组织推优",
    "activist": "确定入党积极分子", "candidate": "确定发展对象", "admission": "接收预备党员",
    "convert": "转为正式党员", "extend": "延长预备期", "disqualify": "取消预备党员资格",
}
# The corrections of a dossier (PROCEDURE.md, Corrections), as the log names them.
CORRECTION_LABELS = {VOID: "作废记录", CORRECT_PROFILE: "更正档案信息", TRANSFER: "转入其他党支部"}
PROFILE_LABELS = {"name": "姓名", "gender": "性别", "birth_date": "出生日期",
                  "applied_on": "申请入党时间", "ethnicity": "民族", "education": "学历",
                  "occupation": "职务", "frontline": "是否生产工作一线", "id_number": "身份证号",
                  "phone": "联系电话"}
# How the registry members a record names are called, per record type.
MEMBER_LABELS = {"contact": "培养联系人", "sponsor": "入党介绍人"}


def zh_date(day: date | None) -> str:
    """2026年11月27日, as the filings write a date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def zh_month(day: date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def param_label(param: Param | str) -> str:
    name = param if isinstance(param, str) else param.name
    return PARAM_LABELS.get(name, name)


def choice_label(value: str) -> str:
    return CHOICE_LABELS.get(value, value)


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, str):
        return choice_label(value)
    return "" if value is None else str(value)


def strip_stop(text: str) -> str:
    return text.rstrip("。.")


@dataclass(frozen=True)
class Act:
    """A dated act of the procedure: a transition or a record type."""

    kind: str  # "transition" or "record"
    name: str
    label: str
    states: tuple[str, ...]  # the states it is taken in
    params: tuple[Param, ...]
    article: str
    declaration: TransitionDef | RecordType

    @property
    def is_exit(self) -> bool:
        """A transition open from several states (reject, withdraw…): not a step of the
        main line."""
        return self.kind == "transition" and len(self.states) > 1


def acts(procedure: Procedure) -> list[Act]:
    """Every act, in the order of the procedure: for each state, the record types first
    recorded there, then the transitions leaving it; acts open from several states last."""
    order = {s.name: i for i, s in enumerate(procedure.states)}
    found: list[tuple[int, int, int, Act]] = []
    for i, r in enumerate(procedure.records):
        act = Act("record", r.name, r.label_zh, r.states, r.params, r.article, r)
        found.append((0, min(order[s] for s in r.states), i, act))
    for i, t in enumerate(procedure.transitions):
        act = Act("transition", t.trigger, strip_stop(t.summary_zh) or t.trigger, t.sources,
                  t.params, t.article, t)
        rank = min(order[s] for s in t.sources)
        found.append((1 if act.is_exit else 0, rank, 10_000 + i, act))
    # Records of a state before its transitions: (exit?, state, position) sorts them so.
    seen: set[str] = set()
    ordered = []
    for *_, act in sorted(found, key=lambda f: f[:3]):
        if act.kind == "transition" and act.name in seen:
            continue
        seen.add(act.name)
        ordered.append(act)
    return ordered


def act_label(procedure: Procedure, kind: str, action: str) -> str:
    if kind == "create":
        return "递交入党申请书"
    if action in CORRECTION_LABELS:
        return CORRECTION_LABELS[action]
    if kind == "record":
        declared = procedure.record_type(action)
        return declared.label_zh if declared else action
    transition = next((t for t in procedure.transitions if t.trigger == action), None)
    return strip_stop(transition.summary_zh) if transition else action


def describe_payload(payload: Mapping[str, Any], members: Mapping[int, str]) -> str:
    """A payload as one line of Chinese: 应到会有表决权党员数21；实到…"""
    parts = []
    for key, value in payload.items():
        if key in ("imported",) or value is None:
            continue
        if key == "member_id":
            parts.append(members.get(value, f"#{value}"))
            continue
        parts.append(f"{param_label(key)}：{text_of(value)}")
    return "；".join(parts)


def describe_correction(action: str, payload: Mapping[str, Any], *, procedure: Procedure,
                        branches: Mapping[int, str], hidden: frozenset[str]) -> str:
    """A correction as one line of Chinese; the profile fields in `hidden` (ID number and
    phone, for those who may not see them) say only that they changed."""
    reason = f"原因：{payload.get('reason')}" if payload.get("reason") else ""
    if action == VOID:
        voided = procedure.record_type(payload.get("type", ""))
        label = voided.label_zh if voided else payload.get("type", "")
        return "；".join(filter(None, [f"作废第{payload.get('record_id')}号记录（{label}）",
                                       reason]))
    if action == TRANSFER:
        moved = (f"由{branches.get(payload.get('from_branch_id'), '?')}转入"
                 f"{branches.get(payload.get('branch_id'), '?')}")
        return "；".join(filter(None, [moved, reason]))
    old, new = payload.get("old", {}), payload.get("new", {})
    changes = []
    for key in new:
        label = PROFILE_LABELS.get(key, key)
        if key in hidden:
            changes.append(f"{label}已更正")
        else:
            changes.append(f"{label}由“{text_of(old.get(key))}”更正为“{text_of(new[key])}”")
    return "；".join(filter(None, ["，".join(changes), reason]))
