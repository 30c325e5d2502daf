"""The filings as Word files: 备案表 and 汇总表 of a scope, 公示, and per dossier the
全程纪实表 and 材料清单. Roles and scope are those of the data each shows."""

from __future__ import annotations

from marshmallow import fields, validate

from api.auth import authenticate, current_actor
from api.base import MAX_ID, Blueprint, Day, Schema
from api.documents.render import DOCX, docx_response
from api.runtime import runtime
from workflow.usecases.paperwork import documents

blp = Blueprint("documents", __name__, url_prefix="/api/v1",
                description="The filings on paper, as Word (.docx) files.")
blp.before_request(authenticate)

TABLE_KINDS = list(documents.TABLES)
PUBLICITY_KINDS = list(documents.PUBLICITY_TITLES)


class DocumentQuery(Schema):
    organization_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                                     metadata={"description": "a branch or committee in scope"})
    start = Day(data_key="from", metadata={"description": "determined from (default 1 January)"})
    end = Day(data_key="to", metadata={"description": "determined until (default today)"})


class PublicityQuery(Schema):
    organization_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                                     metadata={"description": "a branch or committee in scope"})


@blp.route(f"/documents/<any({', '.join(TABLE_KINDS)}):kind>.docx", methods=["GET"])
@blp.arguments(DocumentQuery, location="query")
@blp.response(200, content_type=DOCX, description="The table as a Word file.")
def table(query, kind: str):
    """备案表 (activist_filing, candidate_filing, probationary_filing: the dossiers determined
    in the period) and 汇总表 (admission_approval: awaiting approval; conversion_review:
    probationary members who applied for conversion)."""
    rt = runtime()
    return docx_response(documents.table(uow=rt.uow, env=rt.env, actor=current_actor(),
                                         kind=kind, **query))


@blp.route(f"/documents/publicity-<any({', '.join(PUBLICITY_KINDS)}):kind>.docx",
           methods=["GET"])
@blp.arguments(PublicityQuery, location="query")
@blp.response(200, content_type=DOCX, description="The notices as a Word file.")
def publicity_notice(query, kind: str):
    """公示 of the publicities in progress in scope (admission or conversion), one notice per
    committee, worded as the printable page."""
    rt = runtime()
    return docx_response(documents.publicity_notice(uow=rt.uow, env=rt.env,
                                                    actor=current_actor(), kind=kind, **query))


@blp.route("/applicants/<int(max=2147483647):dossier_id>/documents/record.docx",
           methods=["GET"])
@blp.response(200, content_type=DOCX, description="The dossier's 全程纪实表.")
def dossier_record(dossier_id: int):
    """发展党员工作全程纪实表: every step with its date, actor, meeting counts, records."""
    rt = runtime()
    return docx_response(documents.dossier_record(uow=rt.uow, env=rt.env,
                                                  actor=current_actor(), dossier_id=dossier_id))


@blp.route("/applicants/<int(max=2147483647):dossier_id>/documents/materials.docx",
           methods=["GET"])
@blp.response(200, content_type=DOCX, description="The dossier's 材料清单.")
def materials(dossier_id: int):
    """材料清单: the papers the dossier should hold at its stage, and which are on record."""
    rt = runtime()
    return docx_response(documents.materials(uow=rt.uow, env=rt.env, actor=current_actor(),
                                             dossier_id=dossier_id))
