"""组织员待办: the committee's queues, one tab per committee step, and 上一条/下一条 from a
dossier to the next one waiting in the same queue (workflow.usecases.queue)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from api.runtime import runtime
from api.web.blueprint import bp
from workflow.usecases import queue

# The query parameter that carries a queue to the dossier page, and back.
QUEUE_PARAM = "queue"


def dossier_url(dossier_id: int, key: str | None) -> str:
    """The dossier page with the queue it is opened from, if any."""
    return url_for("web.dossier", dossier_id=dossier_id, **({QUEUE_PARAM: key} if key else {}))


@bp.route("/queues")
def queues():
    rt = runtime()
    found = queue.queues(uow=rt.uow, env=rt.env, actor=g.actor)
    keys = [q.definition.key for q in found]
    selected = request.args.get("tab")
    if selected not in keys:
        # The first queue with work in it, so a click shows what to do.
        selected = next((q.definition.key for q in found if q.items), keys[0] if keys else None)
    current = next((q for q in found if q.definition.key == selected), None)
    return render_template("web/queue/queues.html", queues=found, current=current,
                           today=rt.env.today(), dossier_url=dossier_url)


@bp.route("/queues/<string(maxlength=60):key>/<any(previous,next):direction>/"
          "<int(max=2147483647):dossier_id>")
def queue_step(key: str, direction: str, dossier_id: int):
    """The dossier before or after one in its queue; back to the queue where there is none."""
    rt = runtime()
    before, after = queue.neighbours(uow=rt.uow, env=rt.env, actor=g.actor, key=key,
                                     dossier_id=dossier_id)
    target = before if direction == "previous" else after
    if target is None:
        return redirect(url_for("web.queues", tab=key, end=direction))
    return redirect(dossier_url(target, key))


@bp.app_template_global()
def queue_links(dossier_id: int) -> dict | None:
    """上一条/下一条 for a dossier page opened from a queue (`?queue=`), or None."""
    key, actor = request.args.get(QUEUE_PARAM), g.get("actor")
    if not key or len(key) > 60 or actor is None or actor.role not in queue.QUEUE_ROLES:
        return None
    step = {"key": key, "dossier_id": dossier_id}
    return {"previous": url_for("web.queue_step", direction="previous", **step),
            "next": url_for("web.queue_step", direction="next", **step),
            "queue": url_for("web.queues", tab=key)}
