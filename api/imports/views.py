"""The import of dossiers in flight: the template, a dry run, the import (all or nothing)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import request
from marshmallow import fields

from api.auth import authenticate, current_actor
from api.base import Blueprint, Schema, answer
from api.documents.render import attachment
from api.errors import error_response
from api.runtime import runtime
from workflow.usecases.paperwork import import_sheet, imports
from workflow.usecases.paperwork.spreadsheet import XLSX

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Import dossiers in flight from xlsx or CSV.")
blp.before_request(authenticate)

# A sheet of 10,000 dossiers is about 2 MB as xlsx.
MAX_BYTES = 50 * 1024 * 1024


class ImportQuery(Schema):
    dry_run = fields.Boolean(load_default=False, truthy={"1", "true"}, falsy={"0", "false"},
                             metadata={"description": "check only: every problem, nothing "
                                                      "written"})


class ImportProblemOut(Schema):
    row = fields.Integer()
    column = fields.String(metadata={"description": "the column's letter"})
    header = fields.String()
    message = fields.String()
    rule = fields.String(allow_none=True)


class ImportReportOut(Schema):
    ok = fields.Boolean()
    dry_run = fields.Boolean()
    file_sha256 = fields.String()
    rows = fields.Integer()
    problems = fields.List(fields.Nested(ImportProblemOut))
    breaks = fields.List(fields.Nested(ImportProblemOut), metadata={
        "description": "rules the imported histories break: recorded all the same, and "
                       "listed by the compliance report"})
    created = fields.List(fields.Dict())


def _report(report: imports.Report) -> dict[str, Any]:
    return {"ok": report.ok, "dry_run": report.dry_run, "file_sha256": report.file_sha256,
            "rows": report.rows, "problems": [asdict(p) for p in report.problems],
            "breaks": [asdict(b) for b in report.breaks], "created": report.created}


@blp.route("/template.xlsx", methods=["GET"])
@blp.response(200, content_type=XLSX, description="The import template.")
def template():
    """The template: one column per profile field and per dated act of the procedure, Chinese
    headers with a comment each, drop-downs for closed choices, an example sheet."""
    rt = runtime()
    body = import_sheet.template(uow=rt.uow, env=rt.env, actor=current_actor())
    return attachment(body, "发展党员导入模板.xlsx", XLSX)


def _upload() -> bytes | None:
    if request.files:
        upload = request.files.get("file") or next(iter(request.files.values()))
        return upload.read(MAX_BYTES + 1)
    return request.get_data(cache=False)


@blp.route("", methods=["POST"])
@blp.refuses(400, 413)
@blp.arguments(ImportQuery, location="query")
@blp.response(201, ImportReportOut, description="Imported.")
@blp.alt_response(200, schema=ImportReportOut, description="A dry run's report.")
@blp.alt_response(422, schema=ImportReportOut, description="Problems: nothing was written.")
def import_dossiers(query):
    """Import an xlsx or CSV sheet (multipart field `file`, or the file as the body):
    committee and admin. `?dry_run=1` answers every problem (row, column, Chinese message)
    and what would be created, writing nothing; otherwise all or nothing."""
    data = _upload()
    if not data:
        return error_response(400, "bad_request", "Send the sheet (xlsx or CSV) as the body "
                                                  "or as the multipart field 'file'.")
    if len(data) > MAX_BYTES:
        return error_response(413, "payload_too_large", "The sheet is larger than 50 MB.")
    rt = runtime()
    report = imports.import_dossiers(uow=rt.uow, env=rt.env, actor=current_actor(), data=data,
                                     dry_run=query["dry_run"])
    body = _report(report)
    if report.dry_run:
        return answer(body, 200)
    if not report.ok:
        return answer({"error": "import_rejected",
                       "message": "导入未执行：文件中有问题，未写入任何数据。", **body}, 422)
    return answer(body, 201)
