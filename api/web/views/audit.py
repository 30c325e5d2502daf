"""审计 (auditors, admins): the log with the API's filters and keyset paging, each entry's
payload, the exports, verification against an uploaded checkpoint, and the compliance
report linked to the dossiers — all through workflow.usecases.auditing, as the API."""

from __future__ import annotations

import json

from flask import Response, g, render_template, request
from marshmallow import ValidationError

from api.audit.schemas import CheckpointIn, ComplianceQuery, EntryPageQuery, EntryQuery
from api.runtime import runtime
from api.web.blueprint import bp
from api.zh import ROLE
from workflow.domain.errors import Invalid, Message, chinese
from workflow.usecases.auditing import services
from workflow.usecases.auditing.chain import Checkpoint
from workflow.usecases.auditing.compliance import FAILED, LATE, MISSING
from workflow.usecases.auditing.export import FORMATS, MEDIA_TYPES, WRITERS

PER_PAGE = 50
# A checkpoint of a million dossiers is some 100 MB; more is not a checkpoint.
MAX_CHECKPOINT_BYTES = 256 << 20
KIND = {"create": "建档", "transition": "程序环节", "record": "记录"}
FINDING = {LATE: "逾期", MISSING: "缺失", FAILED: "不符合规则"}
FILTERS = tuple(EntryQuery().fields)
# The filters' names on the page (the fields are the API's, api/audit/schemas.py).
FILTER_LABEL = {"organization_id": "组织编号", "dossier_id": "档案编号", "actor_id": "操作人编号",
                "action": "动作", "kind": "类型", "recorded_from": "记录日期起",
                "recorded_to": "记录日期止", "effective_from": "生效日期起",
                "effective_to": "生效日期止", "cursor": "页码"}
_page_query, _compliance_query, _checkpoint = EntryPageQuery(), ComplianceQuery(), CheckpointIn()


def action_label(action: str) -> str:
    """The Chinese name of a trigger or record type, from the procedure's declarations."""
    procedure = runtime().env.procedure
    record = procedure.record_type(action)
    if record is not None:
        return record.label_zh
    for t in procedure.transitions:
        if t.trigger == action:
            return (t.summary_zh or action).rstrip("。")
    return KIND.get(action, action)


def _args(allowed) -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in allowed and v.strip() != ""}


def _filters(query: dict):
    rt = runtime()
    return services.entry_filter(uow=rt.uow, env=rt.env, actor=g.actor,
                                 **{k: query[k] for k in FILTERS if k in query})


@bp.route("/audit")
def audit():
    rt = runtime()
    args = _args((*FILTERS, "cursor"))
    error, entries, next_cursor = None, [], None
    try:
        query = _page_query.load({**args, "limit": PER_PAGE})
        cursor = query.get("cursor")
        entries, next_id = services.query_entries(
            uow=rt.uow, actor=g.actor, filters=_filters(query),
            after_id=int(cursor) if cursor else None, limit=PER_PAGE)
        next_cursor = str(next_id) if next_id is not None else None
    except (ValidationError, Invalid) as failed:
        fields = failed.messages if isinstance(failed, ValidationError) else failed.fields
        error = "筛选条件无效：" + "、".join(FILTER_LABEL.get(f, f) for f in sorted(fields))
        services.entry_filter(uow=rt.uow, env=rt.env, actor=g.actor)  # the role, still
    filters = {k: v for k, v in args.items() if k != "cursor"}
    return render_template(
        "web/audit/log.html", entries=entries, next_cursor=next_cursor, filters=filters,
        first_page="cursor" in args, error=error, kinds=KIND, formats=FORMATS,
        labels=FILTER_LABEL, roles=ROLE,
        action_label=action_label, today=rt.env.today(), payload=_payload)


def _payload(entry) -> str:
    return json.dumps(dict(entry.payload), ensure_ascii=False, indent=2, sort_keys=True)


@bp.route("/audit/export")
def audit_export():
    rt = runtime()
    args = _args((*FILTERS, "format"))
    try:
        query = EntryQuery().load({k: v for k, v in args.items() if k != "format"})
    except ValidationError as failed:
        raise Invalid({k: Message(str(v), "格式不正确")
                       for k, v in failed.messages.items()}) from failed
    kind = args.get("format", "csv")
    if kind not in FORMATS:
        raise Invalid({"format": Message(f"one of {', '.join(FORMATS)}",
                                         f"须为{'、'.join(FORMATS)}之一")})
    entries = services.stream_entries(uow=rt.uow, actor=g.actor, filters=_filters(query))
    name = f"audit-{rt.env.now():%Y%m%d-%H%M%S}.{kind}"
    return Response(WRITERS[kind](entries), mimetype=MEDIA_TYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/audit/checkpoint")
def audit_checkpoint():
    """The chain heads of the scope as a file to keep outside the database."""
    rt = runtime()
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=g.actor)
    name = f"checkpoint-{rt.env.now():%Y%m%d-%H%M%S}.json"
    return Response(json.dumps(kept.to_json(), ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _uploaded_checkpoint() -> Checkpoint | None:
    upload = request.files.get("checkpoint")
    if upload is None or not upload.filename:
        return None
    body = upload.stream.read(MAX_CHECKPOINT_BYTES + 1)
    if len(body) > MAX_CHECKPOINT_BYTES:
        raise Invalid({"checkpoint": Message("too large for a checkpoint",
                                             "文件过大，不是检查点文件")})
    try:
        return Checkpoint.from_json(_checkpoint.load(json.loads(body)))
    except (ValueError, ValidationError, TypeError) as error:
        raise Invalid({"checkpoint": Message("not a checkpoint file",
                                             "不是有效的检查点文件")}) from error


@bp.route("/audit/verify", methods=["POST"])
def audit_verify():
    """Recompute every chain of the scope, and compare with an uploaded checkpoint."""
    rt = runtime()
    error = result = None
    try:
        result = services.verify(uow=rt.uow, actor=g.actor, checkpoint=_uploaded_checkpoint())
    except Invalid as failed:
        error = "；".join(chinese(v) or str(v) for v in failed.fields.values())
    template = "web/audit/_verify.html" if request.headers.get("HX-Request") else \
        "web/audit/verify.html"
    return render_template(template, result=result, error=error), 422 if error else 200


@bp.route("/audit/compliance")
def audit_compliance():
    rt = runtime()
    args = _args(tuple(_compliance_query.fields))
    error, findings = None, []
    try:
        query = _compliance_query.load(args)
        findings = list(services.compliance(uow=rt.uow, env=rt.env, actor=g.actor, **query))
    except (ValidationError, Invalid):
        error = "筛选条件无效。"
        services.entry_filter(uow=rt.uow, env=rt.env, actor=g.actor)  # the role, still
    return render_template("web/audit/compliance.html", findings=findings, error=error,
                           labels=FINDING, filters=args, today=rt.env.today())
