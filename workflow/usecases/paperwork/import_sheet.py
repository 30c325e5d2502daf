"""The import sheet: its columns, generated from the procedure's declarations (the profile,
then every dated act in the procedure's order with its fields), and the template a committee
downloads (Chinese headers with comments, drop-downs, an example row)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Message
from workflow.domain.procedure import Procedure
from workflow.domain.roles import Role
from workflow.domain.rules import Param
from workflow.store import paperwork as queries
from workflow.store.uow import UnitOfWork
from workflow.usecases.demo import applied_on_for, plan
from workflow.usecases.paperwork.vocabulary import (
    CHOICE_LABELS,
    GENDERS,
    MEMBER_LABELS,
    YES_NO,
    Act,
    acts,
    choice_label,
    param_label,
)

MANY_DATES = "可填写多个日期，以顿号分隔（其文字项可逐日以分号分隔）；"
# Who imports: those who file and approve for their branches.
IMPORTERS = (Role.COMMITTEE, Role.ADMIN)


def require_importer(actor: Actor) -> None:
    if actor.role not in IMPORTERS:
        raise Forbidden(Message(f"the {actor.role} role may not import dossiers",
                                "只有基层党委和管理员可以导入档案"))


@dataclass(frozen=True)
class Column:
    """A column of the import sheet."""

    key: str
    header: str
    # text, date, dates, int, bool, choice, gender, branch, member, members, id_number, phone
    kind: str
    required: bool = False
    comment: str = ""
    choices: tuple[str, ...] = ()  # the values shown in a drop-down
    act: Act | None = None
    param: Param | None = None
    choice: str | None = None  # the value of the act's one choice this date column stands for


PROFILE = (
    Column("branch", "党支部", "branch", True, "所在党支部的名称，与系统中的名称一致（下拉选择）"),
    Column("name", "姓名", "text", True, "申请人姓名"),
    Column("gender", "性别", "gender", True, "男或女", tuple(GENDERS.values())),
    Column("birth_date", "出生日期", "date", True, "如 1999-05-04、1999.5.4 或 1999年5月4日"),
    Column("applied_on", "申请入党时间", "date", True, "递交书面入党申请书的日期"),
    Column("ethnicity", "民族", "text", False, "如 汉族"),
    Column("education", "学历", "text", False, "如 本科"),
    Column("occupation", "职务", "text", False, "职务或职业"),
    Column("frontline", "是否生产工作一线", "bool", False, "是或否", tuple(YES_NO.values())),
    Column("id_number", "身份证号", "id_number", False,
           "18位公民身份号码；请以文本格式填写，以免Excel改写"),
    Column("phone", "联系电话", "phone", False, ""),
)


def _param_column(act: Act, param: Param, label: str) -> Column:
    header = f"{label}·{param_label(param)}"
    kind = {"int": "int", "bool": "bool", "choice": "choice", "member": "member"}.get(
        param.kind, "text")
    choices: tuple[str, ...] = ()
    if kind == "bool":
        choices = tuple(YES_NO.values())
    elif kind == "choice":
        choices = tuple(choice_label(c) for c in param.choices)
    comment = "须填写" if param.required and kind != "text" else ""
    if kind == "int":
        bounds = [f"不少于{param.minimum}" if param.minimum is not None else "",
                  f"不超过{param.maximum}" if param.maximum is not None else ""]
        comment = "，".join(filter(None, ["整数", *bounds, comment]))
    if kind == "member":
        comment = "党员名册中的姓名"
    return Column(f"{act.name}.{param.name}", header, kind, False, comment, choices, act, param)


def columns(procedure: Procedure) -> list[Column]:
    """The columns of the import sheet: the profile, then every dated act of the procedure in
    its order, with its fields (meeting counts, reasons…; contacts and sponsors by name)."""
    found = list(PROFILE)
    for act in acts(procedure):
        label = act.label
        params = act.params
        if any(p.kind == "record" for p in params):
            continue  # refers to another record (a resolution to its objection): not in a sheet
        if act.kind == "record" and len(params) == 1 and params[0].kind == "member":
            label = MEMBER_LABELS.get(act.name, label)
            found.append(Column(f"{act.name}.members", label, "members", False,
                                "党员名册中的姓名，多人以顿号分隔", act=act, param=params[0]))
            found.append(Column(f"{act.name}.date", f"{label}确定时间", "date", False,
                                "确定上列党员的日期", act=act))
            continue
        if act.kind == "record" and len(params) == 1 and params[0].kind == "choice":
            for choice in params[0].choices:
                found.append(Column(f"{act.name}@{choice}.date",
                                    f"{label}（{choice_label(choice)}）时间", "date", False,
                                    f"{label}：{choice_label(choice)}的日期", act=act,
                                    param=params[0], choice=choice))
            continue
        many = act.kind == "record"
        found.append(Column(
            f"{act.name}.date", f"{label}时间", "dates" if many else "date", False,
            (MANY_DATES if many else "") + (act.article or ""), act=act))
        found.extend(_param_column(act, p, label) for p in params)
    headers = [c.header for c in found]
    if len(set(headers)) != len(headers):
        raise ValueError("two columns of the import sheet have the same header")
    return found


def template_row(procedure: Procedure, profile: Mapping[str, Any],
                 history: Iterable[tuple[date, str, Mapping[str, Any]]],
                 member_names: Mapping[int, str]) -> dict[str, Any]:
    """A row of the sheet (header → value) for a profile and a history of (date, act name,
    values): the example row of the template, and how tests and the benchmark fill it."""
    cols = columns(procedure)
    by_key = {c.key: c for c in cols}
    row: dict[str, Any] = {}
    # The fields of records of one cell of dates, one value a date.
    per_date: dict[str, list[Any]] = {}
    for column in PROFILE:
        value = profile.get(column.key)
        if value is None:
            continue
        if column.kind == "gender":
            value = GENDERS[value]
        elif column.kind == "bool":
            value = YES_NO[value]
        row[column.header] = value
    for on, name, values in history:
        choice = next((v for v in values.values() if v in CHOICE_LABELS), None)
        date_column = by_key.get(f"{name}@{choice}.date") or by_key[f"{name}.date"]
        if f"{name}.members" in by_key:
            names = row.setdefault(by_key[f"{name}.members"].header, [])
            names.append(member_names[values["member_id"]])
            row[date_column.header] = on
            continue
        if date_column.kind == "dates":
            row.setdefault(date_column.header, []).append(on)
        else:
            row[date_column.header] = on
        if date_column.choice is not None:
            continue
        for key, value in values.items():
            column = by_key.get(f"{name}.{key}")
            if column is None:
                continue
            if column.kind == "bool":
                value = YES_NO[value]
            elif column.kind == "choice":
                value = choice_label(value)
            elif column.kind == "member":
                value = member_names[value]
            if date_column.kind == "dates":
                per_date.setdefault(column.header, []).append(value)
            else:
                row[column.header] = value
    for header, values in per_date.items():
        # One value for every date, or one per date (the import's PER_DATE).
        row[header] = values[0] if len(set(values)) == 1 else "；".join(map(str, values))
    return {k: ("、".join(v.isoformat() if isinstance(v, date) else v for v in v)
                if isinstance(v, list) else v) for k, v in row.items()}


EXAMPLE_MEMBERS = {-1: "张军", -2: "李华", -3: "王强"}
EXAMPLE_PROFILE = {"name": "赵敏", "gender": "female", "birth_date": date(1999, 5, 4),
                   "ethnicity": "汉族", "education": "大学本科", "occupation": "教师",
                   "frontline": False, "id_number": "11010119990504002X",
                   "phone": "13800138000"}


def example_row(env: Environment, branch_name: str) -> dict[str, Any]:
    """A probationary member's history that satisfies every rule, as a row of the sheet."""
    today = env.today()
    rulebook = env.rulebook_on(today)
    applied = applied_on_for(target="probationary", finished_by=today, rulebook=rulebook,
                             calendar=env.calendar)
    history = [(a.on, a.trigger or a.record, a.data)
               for a in plan(applied_on=applied, target="probationary", rulebook=rulebook,
                             calendar=env.calendar, contacts=[-1], sponsors=[-2, -3])]
    profile = {**EXAMPLE_PROFILE, "applied_on": applied}
    return {"党支部": branch_name,
            **template_row(env.procedure, profile, history, EXAMPLE_MEMBERS)}


def template(*, uow: UnitOfWork, env: Environment, actor: Actor) -> bytes:
    """The import template: Chinese headers with a comment each, drop-downs for the closed
    choices (the branches of the caller's scope among them), and an example on its own
    sheet (the first sheet, the one imported, starts empty)."""
    require_importer(actor)
    with uow.transaction() as tx:
        branch_names = [b.name for b in queries.branches(tx.repo.connection,
                                                         scope_path=actor.organization_path)]
    cols = columns(env.procedure)
    book = Workbook()
    sheet = book.active
    sheet.title = "导入"
    example = book.create_sheet("示例")
    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    lists: dict[tuple[str, ...], str] = {}
    bold, required = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    sample = example_row(env, branch_names[0] if branch_names else "第一党支部")
    for index, column in enumerate(cols, 1):
        letter = get_column_letter(index)
        for target in (sheet, example):
            head = target.cell(row=1, column=index, value=column.header)
            head.font = bold
            if column.required:
                head.fill = required
            target.column_dimensions[letter].width = max(12, min(40, len(column.header) * 2))
        note = ("必填。" if column.required else "") + column.comment
        if note:
            sheet.cell(row=1, column=index).comment = Comment(note, "recruitflow")
        value = sample.get(column.header)
        cell = example.cell(row=2, column=index, value=value)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, str):
            cell.data_type = "s"
        choices = tuple(branch_names) if column.kind == "branch" else column.choices
        if column.kind in ("id_number", "phone"):
            # Typed as numbers, an 18-digit ID loses its last digits to Excel.
            sheet.column_dimensions[letter].number_format = "@"
        if not choices:
            continue
        if choices not in lists:
            col = get_column_letter(len(lists) + 1)
            for i, choice in enumerate(choices, 1):
                options.cell(row=i, column=len(lists) + 1, value=choice)
            lists[choices] = f"选项!${col}$1:${col}${len(choices)}"
        validation = DataValidation(type="list", formula1=lists[choices], allow_blank=True,
                                    showErrorMessage=True, errorTitle="请从下拉列表中选择",
                                    error="请从下拉列表中选择")
        validation.add(f"{letter}2:{letter}10000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
