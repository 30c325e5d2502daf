"""Build the Word templates of the filings (`templates/*.docx`) with python-docx.

Run `python -m api.documents.build_templates` after changing a layout; the files are
committed. Templates are generated rather than drawn by hand so that a layout change is a
reviewable diff of this script, and so that the 备案表 take their columns from the one
definition of each table (`workflow/usecases/paperwork/documents.py`). An installation
replaces any of them by a file of the same name in `<instance>/documents/` (docxtpl syntax:
`{{ value }}`, `{%tr for r in rows %}` for table rows).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workflow.usecases.paperwork.documents import TABLES

HERE = Path(__file__).resolve().parent / "templates"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese glyphs from the East Asian font, which python-docx does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _document(landscape: bool = False):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    return doc


def _para(doc, text: str, *, size: float = 12, bold: bool = False, font: str = BODY_FONT,
          align=None, indent: bool = False):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _title(doc, text: str, size: float = 18) -> None:
    _para(doc, text, size=size, bold=True, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _cell(cell, text: str, *, size: float = 10.5, bold: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, size, bold)


def _widths(table, millimetres: list[float]) -> None:
    table.autofit = False
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, millimetres, strict=True):
            cell.width = Mm(width)


def _loop_table(doc, labels: list[str], cells: list[str], loop: str, *, size: float = 10.5,
                widths: list[float] | None = None):
    """A table: a header row, then one row per item (`{%tr for … %}` … `{%tr endfor %}`)."""
    table = doc.add_table(rows=4, cols=len(labels))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, label in enumerate(labels):
        _cell(table.rows[0].cells[i], label, size=size, bold=True)
        _cell(table.rows[2].cells[i], cells[i], size=size)
    _cell(table.rows[1].cells[0], "{%tr " + loop + " %}", size=size)
    _cell(table.rows[3].cells[0], "{%tr endfor %}", size=size)
    if widths:
        _widths(table, widths)
    return table


def filing_table(name: str) -> None:
    spec = TABLES[name]
    doc = _document(landscape=True)
    _title(doc, "{{ title }}")
    line = "填报单位：{{ organization }}"
    if spec.date_field:
        line += "　　　期间：{{ period }}"
    _para(doc, line)
    labels = ["序号", *(c.label for c in spec.columns)]
    cells = ["{{ r.no }}", *("{{ r." + c.key + " }}" for c in spec.columns)]
    _loop_table(doc, labels, cells, "for r in rows", size=9)
    _para(doc, "共{{ count }}人。　　　填报日期：{{ today }}")
    _para(doc, "党委（盖章）：　　　　　　　　负责人（签字）：", align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.save(HERE / f"{name}.docx")


ADMISSION = (
    "关于拟发展{{ n.first_name }}{% if n.several %}等{{ n.count }}名{% endif %}"
    "同志为中共预备党员的公示",
    "根据《中国共产党发展党员工作细则》有关规定，经党支部委员会审查、{{ n.committee }}预审，"
    "拟发展下列同志为中共预备党员，现将有关情况予以公示。",
)
CONVERSION = (
    "关于{{ n.first_name }}{% if n.several %}等{{ n.count }}名{% endif %}"
    "同志拟转为中共正式党员的公示",
    "根据《中国共产党发展党员工作细则》有关规定，下列同志预备期已满，经本人申请、党支部委员会"
    "审查，拟转为中共正式党员，现将有关情况予以公示。",
)


def publicity(kind: str, wording: tuple[str, str]) -> None:
    doc = _document()
    doc.add_paragraph("{%p for n in notices %}")
    _title(doc, wording[0], size=20)
    _para(doc, wording[1], size=14, indent=True)
    _loop_table(doc, ["姓名", "性别", "出生年月", "所在党支部", "公示期"],
                ["{{ p.name }}", "{{ p.gender }}", "{{ p.birth_month }}", "{{ p.branch }}",
                 "{{ p.span }}"], "for p in n.people", size=12, widths=[25, 14, 30, 40, 65])
    _para(doc, "公示期间，党员和群众如对公示对象有意见或反映问题，可通过来电、来信、来访等方式"
               "向{{ n.committee }}反映。反映问题应实事求是，以真实姓名反映的，我们将对反映人"
               "信息严格保密。", size=14, indent=True)
    doc.add_paragraph("{%p if n.phone %}")
    _para(doc, "联系电话：{{ n.phone }}", size=14, indent=True)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if n.email %}")
    _para(doc, "电子邮箱：{{ n.email }}", size=14, indent=True)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if n.address %}")
    _para(doc, "来信来访地址：{{ n.address }}", size=14, indent=True)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if warning %}")
    _para(doc, "注：该年度法定节假日安排尚未公布，公示期暂按周一至周五工作日计算。", size=11)
    doc.add_paragraph("{%p endif %}")
    _para(doc, "中共{{ n.committee }}", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ today }}", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_paragraph("{%p if not loop.last %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not notices %}")
    _para(doc, "目前没有正在进行的公示。")
    doc.add_paragraph("{%p endif %}")
    doc.save(HERE / f"publicity_{kind}.docx")


PERSON = [("姓名", "name"), ("性别", "gender"), ("出生年月", "birth_month"),
          ("民族", "ethnicity"), ("学历", "education"), ("职务", "occupation"),
          ("身份证号", "id_number"), ("所在党支部", "branch"),
          ("申请入党时间", "applied_on"), ("当前阶段", "state")]


def _person(doc) -> None:
    table = doc.add_table(rows=len(PERSON) // 2, cols=4)
    table.style = "Table Grid"
    for i, (label, key) in enumerate(PERSON):
        row = table.rows[i // 2]
        _cell(row.cells[(i % 2) * 2], label, bold=True)
        _cell(row.cells[(i % 2) * 2 + 1], "{{ person." + key + " }}")


def dossier_record() -> None:
    doc = _document(landscape=True)
    _title(doc, "{{ title }}")
    _person(doc)
    _para(doc, "")
    _loop_table(doc, ["序号", "日期", "环节", "内容（会议人数、表决、人员、记录）", "经办人",
                      "办理后阶段", "备注"],
                ["{{ s.no }}", "{{ s.date }}", "{{ s.step }}", "{{ s.detail }}",
                 "{{ s.actor }}", "{{ s.state }}", "{{ s.note }}"], "for s in steps",
                widths=[12, 34, 42, 80, 38, 32, 24])
    _para(doc, "制表日期：{{ today }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.save(HERE / "dossier_record.docx")


def materials() -> None:
    doc = _document()
    _title(doc, "{{ title }}")
    _person(doc)
    _para(doc, "")
    _loop_table(doc, ["序号", "材料", "依据", "日期", "情况"],
                ["{{ i.no }}", "{{ i.name }}", "{{ i.basis }}", "{{ i.dates }}",
                 "{{ i.held }}"], "for i in items", widths=[12, 62, 22, 58, 20])
    _para(doc, "未记录{{ missing }}项。　　　制表日期：{{ today }}")
    doc.save(HERE / "materials.docx")


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name in TABLES:
        filing_table(name)
    publicity("admission", ADMISSION)
    publicity("conversion", CONVERSION)
    dossier_record()
    materials()


if __name__ == "__main__":
    main()
