"""How the HTML pages (the public board and the staff's interface) write things in Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime

from workflow.domain.rules import Param

GENDER = {"male": "男", "female": "女"}


def chinese_date(day: date | datetime | str | None) -> str:
    """2026年11月27日; ISO text is read first; nothing for None."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.year}年{day.month}月{day.day}日"


_ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def chinese_dates(text: str) -> str:
    """Every YYYY-MM-DD in a Chinese text written as 2026年11月27日."""
    return _ISO_DAY.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def chinese_month(day: date | str) -> str:
    """1999年5月, from a date or from "1999-05"."""
    if isinstance(day, str):
        year, month = day.split("-")[:2]
        return f"{int(year)}年{int(month)}月"
    return f"{day.year}年{day.month}月"


ROLE = {"branch": "党支部", "committee": "党委组织员", "auditor": "审计", "admin": "管理员"}

# Chinese names of the form fields that are no `Param` (those carry theirs, `label_zh`): the
# day a record or a transition takes effect, asked by every form of one.
FIELD = {"date": "日期", "effective_date": "生效日期"}
CHOICE = {
    "party_members": "党员推荐", "mass_organization": "群团组织推优",
    "activist": "入党积极分子", "candidate": "发展对象", "admission": "接收预备党员",
}


def field_label(name: str) -> str:
    return FIELD.get(name, name)


def param_label(param: Param) -> str:
    """A declared field's Chinese name; one declared without it still shows in every form,
    under its description or name."""
    return param.label_zh or param.description or param.name


def choice_label(value: str) -> str:
    return CHOICE.get(value, value)


PROFILE = {
    "name": "姓名", "gender": "性别", "birth_date": "出生日期", "applied_on": "申请入党日期",
    "ethnicity": "民族", "education": "学历", "occupation": "工作岗位", "frontline": "一线",
    "id_number": "身份证号", "phone": "联系电话",
}
