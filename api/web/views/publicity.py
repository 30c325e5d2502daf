"""公示管理: the committee's publicities in progress and elapsed, their objections and
resolutions, the objection contacts (warned where missing), and the printable notice (the
public print page, api/pages)."""

from __future__ import annotations

from flask import g, render_template

from api.runtime import runtime
from api.web.blueprint import bp
from api.web.views.queue import dossier_url
from workflow.domain.roles import Role
from workflow.usecases import publicity_desk, queue

STATUS = {"pending": "待核查", "upheld": "属实", "dismissed": "不属实"}
KIND = {"publicity": "接收预备党员公示", "conversion_publicity": "转正公示"}


@bp.route("/publicity-desk")
def publicity():
    rt = runtime()
    desk = publicity_desk.desk(uow=rt.uow, env=rt.env, actor=g.actor)
    procedure = rt.env.procedure

    def open_url(p) -> str:
        """The dossier, in the queue of its publicity's closing for a committee."""
        key = queue.queue_of_state(procedure, p.state)
        if key and g.actor.role in queue.QUEUE_ROLES:
            return dossier_url(p.dossier_id, key)
        return dossier_url(p.dossier_id, None)

    return render_template("web/publicity/desk.html", desk=desk, status_label=STATUS,
                           kind_label=KIND, is_admin=g.actor.role == Role.ADMIN,
                           open_url=open_url)
