"""The overview (workflow.usecases.stats) as an xlsx workbook, and the Chinese labels of its
figures, which the web page shows too: one sheet per table (branches × states, publicity,
the structure of those admitted)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from workflow.domain.procedure import Procedure
from workflow.usecases.stats import UNKNOWN, Overview

STRUCTURE = {"under_35": "35岁以下", "women": "女性", "ethnic_minorities": "少数民族",
             "ethnicity_unknown": "民族未填", "frontline": "生产、工作一线"}
PUBLICITY = {"in_progress": "公示中", "elapsed": "公示期满待结束",
             "objections_raised": "反映问题", "objections_pending": "待核查",
             "objections_upheld": "经核查属实", "objections_dismissed": "经核查不属实"}
UNKNOWN_EDUCATION = "未填"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def education_label(value: str) -> str:
    return UNKNOWN_EDUCATION if value == UNKNOWN else value


def share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def workbook(view: Overview, procedure: Procedure) -> bytes:
    book = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = book.create_sheet(title)
        ws.append(header)
        for row in rows:
            # Text is always text: openpyxl would take a name starting "=" for a formula.
            ws.append([_text(ws, v) for v in row])

    states = list(procedure.states)
    sheet("各支部各状态", ["支部", *(s.label_zh for s in states), "合计"], [
        [b.branch_name, *(b.states.get(s.name, 0) for s in states), b.total]
        for b in view.branches])
    sheet("公示", ["项目", "数量"],
          [[label, getattr(view.publicity, key)] for key, label in PUBLICITY.items()])
    a = view.admitted
    rows = [["接收预备党员", a.total, None]]
    rows += [[label, getattr(a, key), share(getattr(a, key), a.total)]
             for key, label in STRUCTURE.items()]
    rows += [[f"学历：{education_label(k)}", v, share(v, a.total)]
             for k, v in a.by_education.items()]
    sheet(f"接收结构 {a.start.isoformat()}至{a.end.isoformat()}"[:31], ["项目", "人数", "占比"],
          rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(ws, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
