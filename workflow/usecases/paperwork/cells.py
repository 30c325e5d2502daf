"""Reading the cells of an import sheet: dates in every spelling people type, yes/no, whole
numbers, text and closed choices. Each refusal is a Chinese message for whoever filled the cell."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from workflow.domain.rules import Param
from workflow.usecases.paperwork.vocabulary import choice_label

SEPARATORS = re.compile(r"[、,，;；\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
TRUE_WORDS = {"是", "有", "通过", "合格", "yes", "true", "1", "y"}
FALSE_WORDS = {"否", "无", "未通过", "不合格", "no", "false", "0", "n"}


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese, for the person who filled it."""


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 200_000:  # an Excel serial day number
            return from_excel(value).date()
        raise CellError(f"无法识别的日期：{value}")
    text = str(value).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise CellError(f"无法识别的日期：{text}（可写作 2025-03-01、2025.3.1 或 2025年3月1日）")
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"不存在的日期：{text}") from None


def parse_dates(value: Any) -> list[date]:
    if isinstance(value, (date, int, float)):
        return [parse_date(value)]
    return [parse_date(part) for part in SEPARATORS.split(str(value)) if part.strip()]


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"应填写“是”或“否”：{value}")


def parse_int(value: Any, param: Param | None) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        text = str(value).strip()
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"应填写整数：{value}")
        value = int(text)
    if param is not None:
        if param.minimum is not None and value < param.minimum:
            raise CellError(f"不能小于{param.minimum}：{value}")
        if param.maximum is not None and value > param.maximum:
            raise CellError(f"不能大于{param.maximum}：{value}")
    return value


def parse_text(value: Any, limit: int = 2000) -> str:
    text = str(value).strip()
    if len(text) > limit:
        raise CellError(f"不能超过{limit}个字")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise CellError("含有控制字符")
    return text


def parse_choice(value: Any, param: Param) -> str:
    text = str(value).strip()
    by_label = {choice_label(c): c for c in param.choices}
    if text in param.choices:
        return text
    if text in by_label:
        return by_label[text]
    raise CellError(f"应为以下之一：{'、'.join(by_label)}")
