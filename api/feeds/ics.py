"""The agenda as an iCalendar document (RFC 5545), one all-day event per obligation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vDuration

from api.zh import chinese_date
from workflow.domain.actors import Actor
from workflow.usecases.agenda import AgendaItem

# How often a subscribed calendar app should fetch the feed again.
REFRESH = timedelta(hours=1)


def agenda_calendar(actor: Actor, items: Iterable[AgendaItem], *, now: datetime,
                    host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//recruitflow//agenda//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"发展党员工作日程 · {actor.name}")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for item in items:
        event = Event()
        # Stable while the obligation is the same, so an app updates rather than duplicates.
        event.add("uid", f"{item.dossier_id}-{item.rule}-{item.due:%Y%m%d}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        overdue = "【已逾期】" if item.overdue else ""
        event.add("summary", f"{overdue}{item.title_zh}：{item.name}（{item.branch_name}）")
        # Calendar apps send no Accept-Language: the feed is for Chinese secretaries.
        event.add("description", f"{item.title_zh}：{item.name}（{item.branch_name}，档案"
                                 f"{item.dossier_id}），{chinese_date(item.due)}到期"
                                 f"{'，已逾期' if item.overdue else ''}。规则：{item.rule}。")
        event.add("categories", [item.rule])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
