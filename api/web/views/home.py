"""工作台: counts per state, what falls due (the agenda), and what can be advanced today."""

from __future__ import annotations

from flask import g, render_template

from api.runtime import runtime
from api.web.blueprint import bp
from api.web.views.dossiers import row_view
from workflow.domain.roles import Role
from workflow.usecases import agenda, roster

# What the home page shows of the agenda: the overdue, and what falls due within this horizon.
HORIZON_DAYS = 30
# 可推进: among the dossiers that have waited longest since their last step, those whose next
# step the rules allow today.
LOOK_AT = 50
# The rows of each list on the page: 可推进, overdue, due soon.
SHOWN = 20


@bp.route("/")
def home():
    rt, actor = runtime(), g.actor
    counts = roster.counts(uow=rt.uow, env=rt.env, actor=actor)
    due = []
    if actor.role in agenda.AGENDA_ROLES:
        due = agenda.agenda(uow=rt.uow, env=rt.env, actor=actor, horizon_days=HORIZON_DAYS)
    states = rt.env.procedure.states
    # An administrator fires no step of the procedure (and may see the whole tree).
    ready = ([] if actor.role == Role.ADMIN
             else roster.advanceable(uow=rt.uow, env=rt.env, actor=actor, look_at=LOOK_AT))
    overdue = [i for i in due if i.overdue]
    upcoming = [i for i in due if not i.overdue]
    # The home page names the most urgent of each list; 议程 has them all (a large committee
    # has a thousand overdue items, and a table of them all is nobody's overview).
    return render_template("web/home.html", counts=counts, states=states,
                           ready=[row_view(r) for r in ready[:SHOWN]], look_at=LOOK_AT,
                           overdue=overdue[:SHOWN], overdue_total=len(overdue),
                           upcoming=upcoming[:SHOWN], upcoming_total=len(upcoming),
                           shown=SHOWN,
                           horizon=HORIZON_DAYS, today=rt.env.today(),
                           is_admin=actor.role == Role.ADMIN)
