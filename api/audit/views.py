"""`/api/v1/audit`: query, export, verify, checkpoint and the compliance report."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response

from api.applicants import present
from api.audit.schemas import (
    CheckpointIn,
    CheckpointOut,
    ComplianceOut,
    ComplianceQuery,
    EntryPage,
    EntryPageQuery,
    EntryQuery,
    ExportQuery,
    VerificationOut,
)
from api.auth import authenticate, current_actor, reads_only
from api.base import Blueprint
from api.errors import prefers_chinese
from api.runtime import runtime
from workflow.domain.errors import Invalid, Message
from workflow.usecases.auditing import services
from workflow.usecases.auditing.chain import Checkpoint
from workflow.usecases.auditing.export import MEDIA_TYPES, WRITERS

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="The audit log: query, export, verification, compliance.")
blp.before_request(authenticate)


def _filters(query: dict):
    rt = runtime()
    fields = {k: query[k] for k in EntryQuery().fields if k in query}
    return services.entry_filter(uow=rt.uow, env=rt.env, actor=current_actor(), **fields)


@blp.route("/entries", methods=["GET"])
@blp.arguments(EntryPageQuery, location="query")
@blp.response(200, EntryPage)
def list_entries(query):
    """Entries in the caller's scope, oldest first, a page at a time (keyset cursor)."""
    cursor = query.get("cursor")
    entries, next_id = services.query_entries(
        uow=runtime().uow, actor=current_actor(), filters=_filters(query),
        after_id=int(cursor) if cursor else None, limit=query["limit"],
    )
    actor = current_actor()
    items = [{**present.entry(e, actor), "dossier_id": e.dossier_id, "prev_hash": e.prev_hash,
              "hash": e.hash} for e in entries]
    return {"items": items, "next_cursor": str(next_id) if next_id is not None else None}


@blp.route("/export", methods=["GET"])
@blp.arguments(ExportQuery, location="query")
@blp.response(200, content_type="application/octet-stream",
              description="CSV (UTF-8 with BOM), XLSX or JSON Lines, streamed.")
def export(query):
    """The same query as a file, streamed in bounded memory."""
    rt, kind = runtime(), query["format"]
    entries = services.stream_entries(uow=rt.uow, actor=current_actor(),
                                      filters=_filters(query))
    name = f"audit-{rt.env.now():%Y%m%d-%H%M%S}.{kind}"
    return Response(WRITERS[kind](entries), mimetype=MEDIA_TYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _verification(result: services.Verification) -> dict:
    return {
        "ok": result.ok, "entries": result.entries, "dossiers": result.dossiers,
        "problems": [asdict(p) for p in result.problems],
        "checkpoint_root": result.checkpoint.root if result.checkpoint else None,
    }


@blp.route("/verify", methods=["GET"])
@blp.response(200, VerificationOut)
def verify():
    """Recompute every hash chain in the caller's scope; `problems` names the first broken
    entry of each damaged chain."""
    rt = runtime()
    return _verification(services.verify(uow=rt.uow, env=rt.env, actor=current_actor()))


@blp.route("/verify", methods=["POST"])
@reads_only
@blp.arguments(CheckpointIn)
@blp.response(200, VerificationOut)
def verify_against_checkpoint(data):
    """Verify, and compare with a checkpoint kept outside the database (the body): also
    finds deleted dossiers and truncated chains. Changes nothing, so auditors may call it."""
    try:
        checkpoint = Checkpoint.from_json(data)
    except ValueError as error:
        raise Invalid({"heads": Message(str(error), f"检查点无效：{error}")}) from error
    rt = runtime()
    return _verification(services.verify(uow=rt.uow, env=rt.env, actor=current_actor(),
                                         checkpoint=checkpoint))


@blp.route("/checkpoint", methods=["GET"])
@blp.response(200, CheckpointOut)
def checkpoint():
    """The chain heads of the caller's scope with their count and Merkle root: keep it."""
    rt = runtime()
    return services.make_checkpoint(uow=rt.uow, env=rt.env, actor=current_actor()).to_json()


@blp.route("/compliance", methods=["GET"])
@blp.arguments(ComplianceQuery, location="query")
@blp.response(200, ComplianceOut)
def compliance(query):
    """Every dossier in scope replayed against the rulebook: what was late, missing, or
    recorded although its rules fail."""
    rt = runtime()
    zh = prefers_chinese()
    items = [
        {**asdict(f), "message": f.message_zh if zh else f.message_en}
        for f in services.compliance(uow=rt.uow, env=rt.env, actor=current_actor(), **query)
    ]
    return {"items": items, "total": len(items)}
