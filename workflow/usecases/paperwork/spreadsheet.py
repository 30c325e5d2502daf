"""Spreadsheets of the paperwork (rosters, the import template), written with openpyxl's
write-only mode: dates as real dates shown 2026年11月27日, text always as text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZH_DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def cell(sheet: Any, value: Any) -> Any:
    """A write-only cell: a string stays a string (never a formula), a date shows in Chinese."""
    if isinstance(value, str):
        c = WriteOnlyCell(sheet, value=value)
        c.data_type = "s"
        return c
    if isinstance(value, date):
        c = WriteOnlyCell(sheet, value=value)
        c.number_format = ZH_DATE_FORMAT
        return c
    return value


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    heads = []
    for header in headers:
        c = WriteOnlyCell(sheet, value=header)
        c.font = Font(bold=True)
        heads.append(c)
    sheet.append(heads)
    for row in rows:
        sheet.append([cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
