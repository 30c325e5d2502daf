"""Calendar subscriptions: `/api/v1/calendar-feed` issues or revokes a user's secret URL,
`/calendar/<secret>.ics` serves that user's agenda as iCalendar (no token: the URL is it)."""

from __future__ import annotations

from flask import Response, request, url_for
from marshmallow import fields

from api.auth import authenticate, current_actor, own_settings
from api.base import Blueprint, Schema
from api.feeds.ics import agenda_calendar
from api.runtime import runtime
from workflow.usecases import feeds

blp = Blueprint("calendar_feed", __name__, url_prefix="/api/v1/calendar-feed",
                description="Your secret calendar URL (the agenda as iCalendar).")
blp.before_request(authenticate)

public = Blueprint("calendar", __name__, url_prefix="/calendar",
                   description="Calendar feeds: subscribe from a phone's calendar app.")


class FeedOut(Schema):
    url = fields.String(metadata={"description": "shown this once; issuing anew revokes it"})


@blp.route("", methods=["POST"])
@own_settings
@blp.response(201, FeedOut)
def issue():
    """A new secret calendar URL for you (branch, committee, auditor); the old one stops."""
    rt = runtime()
    secret = feeds.issue_feed(uow=rt.uow, env=rt.env, actor=current_actor())
    return {"url": url_for("calendar.feed", secret=secret, _external=True)}, 201


@blp.route("", methods=["DELETE"])
@own_settings
@blp.refuses(404)
@blp.response(204)
def revoke():
    """Revoke your calendar URL."""
    rt = runtime()
    feeds.revoke_feed(uow=rt.uow, actor=current_actor())


@public.route("/<string(maxlength=100):secret>.ics", methods=["GET"])
def feed(secret: str):
    """Your agenda as iCalendar, for a calendar app's subscription."""
    rt = runtime()
    actor, items = feeds.feed_agenda(uow=rt.uow, env=rt.env, secret=secret)
    body = agenda_calendar(actor, items, now=rt.env.now(), host=request.host.split(":")[0])
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="agenda.ics"',
        # The URL is a credential: no shared cache may keep the answer.
        "Cache-Control": "private, no-store",
    })
